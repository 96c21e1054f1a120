#pragma once

#include "core/metrics/metricssnapshot.h"

#include <QList>

#include <cstddef>

namespace cachescope {

/// Two consecutive snapshots of one stretch of a phase as one: the counters and the latency sum
/// added, the intervals joined (the later one's end times), phaseRequests the later one's. The
/// percentiles of the joined interval cannot be had from the two: p99, p99.9 and max are the
/// larger of the two (an upper bound), p50 the two medians weighted by their requests.
MetricsSnapshot mergeSnapshots(const MetricsSnapshot &earlier, const MetricsSnapshot &later);

/// Halves the resolution of \a series past the first \a keepFirstS seconds of each phase: each
/// pair of consecutive snapshots of the same phase and warm-up state that holds no time of \a cuts
/// (run times at which a segment starts) becomes one (mergeSnapshots). Totals, the
/// phases, segments and the start of each phase (its cold-start ramp) are kept exactly. A mean
/// rate's standard error stays what it was when each snapshot weighs its length (a joined pair
/// has half the variance of each of its parts), as the comparison's interval weighs them.
void coarsenTimeSeries(QList<MetricsSnapshot> &series, const QList<double> &cuts, double keepFirstS);

/// How a run's record of snapshots stays bounded however long the run goes on: when it holds more
/// than kMaxSnapshots, it is coarsened past the first kFullResolutionS seconds of each phase.
/// 12,000 snapshots of 224 bytes: at most 2.6 MiB; twenty minutes at 10 Hz before the first halving.
inline constexpr qsizetype kMaxSnapshots = 12'000;
inline constexpr double kFullResolutionS = 120.0;

} // namespace cachescope
