#pragma once

#include "core/metrics/metricssnapshot.h"

#include <QList>

#include <optional>
#include <vector>

namespace cachescope {

/// The hit rate over the sliding window that ends at one snapshot of a phase.
struct RampPoint {
    double phaseTime = 0.0; ///< seconds since the phase started (the window's end)
    double hitRate = 0.0; ///< hits ÷ reads over the window
};

/// How long a phase took to warm, as DESIGN.md defines it: from the phase's start (a warm-up
/// included) until the hit rate over a sliding one-second window first reaches 90 % of the
/// phase's steady-state hit rate — the hit rate over the phase's second half.
struct ColdStart {
    double seconds = 0.0; ///< the cold-start time
    double steadyHitRate = 0.0; ///< the steady-state hit rate
    double threshold = 0.0; ///< the hit rate that had to be reached (reach × steady)
};

/// The hit rate over a \a window-second sliding window at every snapshot of \a phase in
/// \a series; near the phase's start the window is what there is so far.
std::vector<RampPoint> hitRateRamp(const QList<MetricsSnapshot> &series, Phase phase, double window = 1.0);

/// The cold-start time of \a phase in \a series; nullopt when the phase has no reads, no
/// steady-state hits, or never reached the threshold.
std::optional<ColdStart> measureColdStart(
    const QList<MetricsSnapshot> &series, Phase phase, double reach = 0.9, double window = 1.0);

} // namespace cachescope
