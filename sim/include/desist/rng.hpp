// Counter-based random streams keyed by (seed, replicate, person, stream).
//
// Every random number a person consumes comes from a Philox4x64-10 stream whose
// key is (seed, replicate) and whose counter is (person, stream, block). A draw
// therefore depends only on who draws it and why, never on the thread or the
// order of work: results are bit-identical for any thread count, and two
// scenarios run with the same seed share every draw on the channels a policy
// does not touch (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace desist {

// One stream per reason for drawing. Values are part of the reproducibility
// contract: renumbering them changes every result.
enum class StreamId : std::uint64_t {
  cohort = 0,         // synthetic attributes of the person
  latent = 1,         // never-reoffend status and frailty
  offending = 2,      // unit-exponential clock of the offending channel
  death = 3,          // clock of the death channel
  recall = 4,         // clock of licence breach / recall and its kind
  court = 5,          // court lag, caution or court, sentence
  custody_losses = 6, // losing home or job on entering custody
  parameters = 7,     // a sweep's Monte Carlo parameter draws (keyed by point, not person)
  pathway_base = 16,  // + pathway index: clock of each pathway's transitions
  intervention_base = 32,  // + intervention index: uptake, drop-out and queue draws
};

class RandomStream {
 public:
  using Engine = r123::Philox4x64;

  // `position` draws already taken: a stream can be put away and resumed.
  RandomStream(std::uint64_t seed, std::uint64_t replicate, std::uint64_t person, StreamId stream,
               std::uint64_t position = 0)
      : key_{{seed, replicate}}, counter_{{person, static_cast<std::uint64_t>(stream), 0, 0}}, next_(position) {}

  // 64 random bits.
  std::uint64_t bits() {
    const std::uint64_t block = next_ >> 2;
    if (block != cached_block_) {
      counter_.v[2] = block;
      block_ = Engine{}(counter_, key_);
      cached_block_ = block;
    }
    return block_.v[next_++ & 3u];
  }

  // Uniform on the open interval (0, 1): never 0, so -log(u) is finite.
  double uniform() { return (static_cast<double>(bits() >> 11) + 0.5) * 0x1.0p-53; }

  // Unit-rate exponential: the firing threshold of an event clock.
  double unit_exponential() { return -std::log(uniform()); }

  bool bernoulli(double p) { return uniform() < p; }

  // Draws taken so far.
  std::uint64_t position() const { return next_; }

  // UniformRandomBitGenerator interface, so Boost.Random distributions can draw from it.
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return bits(); }

 private:
  Engine::key_type key_;
  Engine::ctr_type counter_;
  Engine::ctr_type block_{};
  std::uint64_t next_ = 0;
  std::uint64_t cached_block_ = ~std::uint64_t{0};
};

}  // namespace desist
