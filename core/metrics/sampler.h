#pragma once

#include "core/metrics/metricssnapshot.h"
#include "core/metrics/requestcounts.h"

#include <cstdint>

namespace cachescope {

/// Turns readings of a phase's running totals into snapshots of what happened since the last
/// reading: the sampler owns "since the last one" (CacheLib's ProgressTracker keeps its previous
/// stats the same way).
class Sampler {
public:
    /// Starts a phase: \a totals at \a nowNanos are what the next snapshot counts from.
    void restart(RequestTotals totals, std::int64_t nowNanos);
    /// The snapshot of the interval since the last reading, ending at \a nowNanos with \a totals
    /// (the phase's totals so far); phase, runTime and warmup are the caller's to fill.
    MetricsSnapshot next(RequestTotals totals, std::int64_t nowNanos);
    /// When the phase started (the last restart()).
    std::int64_t phaseStartNanos() const { return m_phaseStartNs; }

private:
    RequestTotals m_last;
    std::int64_t m_lastNs = 0;
    std::int64_t m_phaseStartNs = 0;
};

} // namespace cachescope
