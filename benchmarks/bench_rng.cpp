// Micro benchmark: drawing a keyed random number (rng.hpp). A stream serves
// four draws from each Philox block, so draws in sequence cost a quarter of a
// block each; a stream made afresh for its first draw pays a whole block.
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include "desist/rng.hpp"

namespace {

using desist::RandomStream;
using desist::StreamId;

void micro_rng_uniform(benchmark::State& state) {
  RandomStream stream(20101001, 0, 12345, StreamId::offending);
  for (auto _ : state) benchmark::DoNotOptimize(stream.uniform());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(micro_rng_uniform);

void micro_rng_unit_exponential(benchmark::State& state) {
  RandomStream stream(20101001, 0, 12345, StreamId::offending);
  for (auto _ : state) benchmark::DoNotOptimize(stream.unit_exponential());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(micro_rng_unit_exponential);

// A new key for every draw: a person's first draw on a channel.
void micro_rng_first_draw_of_a_stream(benchmark::State& state) {
  std::uint64_t person = 0;
  for (auto _ : state) {
    RandomStream stream(20101001, 0, person++, StreamId::offending);
    benchmark::DoNotOptimize(stream.uniform());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(micro_rng_first_draw_of_a_stream);

}  // namespace
