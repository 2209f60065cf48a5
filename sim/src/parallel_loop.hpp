// The kernel's one parallel loop. TBB skips the remaining iterations of a loop
// silently when the task group around it is cancelled (in a sweep: another
// row failed or was stopped), which would hand back a half-filled result as
// if it were whole. This loop throws Cancelled instead, so a result is
// either complete or never seen.
#pragma once

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <cstddef>

#include "desist/error.hpp"

namespace desist {

template <class Body>
void parallel_loop(std::size_t count, const Body& body) {
  tbb::parallel_for(std::size_t{0}, count, body);
  if (tbb::is_current_task_group_canceling()) throw Cancelled();
}

}  // namespace desist
