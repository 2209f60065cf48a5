// Reading a person's event history as spells: custody from a custodial
// sentence or recall to release, supervision in the community from release or
// order start to its end. Measures and economics read histories through this
// one walker so they always agree on what happened.
#pragma once

#include <cmath>
#include <limits>

#include "desist/event_log.hpp"

namespace desist {

// Calls, in time order:
//   visitor.custody(from, to)       for each custody spell after the index date
//   visitor.supervision(from, to)   for each supervised spell in the community
//   visitor.recall(t), visitor.release(t)  at recalls and releases from custody
// Spells still open at death or at `horizon` are closed there. Returns the day
// of death, or NaN.
template <class Visitor>
double walk_spells(const Event* begin, const Event* end, double horizon, Visitor&& visitor) {
  double custody_since = 0.0, supervised_since = 0.0, death = std::numeric_limits<double>::quiet_NaN();
  bool in_custody = false, supervised = false;
  auto end_supervision = [&](double t) {
    if (supervised) visitor.supervision(supervised_since, t);
    supervised = false;
  };
  auto set_supervision = [&](double t, std::uint8_t detail) {
    end_supervision(t);
    supervised = static_cast<Supervision>(detail) != Supervision::none;
    supervised_since = t;
  };
  auto enter_custody = [&](double t) {
    end_supervision(t);
    if (!in_custody) custody_since = t;
    in_custody = true;
  };
  auto leave_custody = [&](double t) {
    if (in_custody) visitor.custody(custody_since, t);
    in_custody = false;
  };
  for (const Event* e = begin; e != end; ++e) {
    switch (e->kind) {
      case EventKind::court:
        if (static_cast<Disposal>(e->detail) == Disposal::custody) enter_custody(e->time);
        break;
      case EventKind::recall:
        visitor.recall(e->time);
        enter_custody(e->time);
        break;
      case EventKind::release:
        if (in_custody) visitor.release(e->time);
        leave_custody(e->time);
        set_supervision(e->time, e->detail);
        break;
      case EventKind::supervision: set_supervision(e->time, e->detail); break;
      case EventKind::death: death = e->time; break;
      default: break;
    }
  }
  const double stop = std::isnan(death) ? horizon : death;
  leave_custody(stop);
  end_supervision(stop);
  return death;
}

}  // namespace desist
