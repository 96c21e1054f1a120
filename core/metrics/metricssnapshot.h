#pragma once

#include "core/metrics/requestcounts.h"

#include <QMetaType>
#include <QString>

#include <cstdint>

namespace cachescope {

/// Which part of a run a figure belongs to.
enum class Phase : std::uint8_t {
    Baseline, ///< every read straight against the database
    Cached, ///< reads through the cache (warmed up when the scenario has a warm-up)
    Cold, ///< the cached phase run cold first, same seed, to measure what a warm-up buys
};

/// "baseline", "cached" or "cold", as results and reports name phases.
inline QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Baseline:
        return QStringLiteral("baseline");
    case Phase::Cold:
        return QStringLiteral("cold");
    case Phase::Cached:
        break;
    }
    return QStringLiteral("cached");
}

/// What happened in one sampling interval (about 100 ms) of one phase: the counters' deltas
/// since the previous snapshot (RequestCounts), plus the interval's rates and latency
/// percentiles. A plain value sent to the GUI.
struct MetricsSnapshot : RequestCounts {
    Phase phase = Phase::Baseline; ///< phase the interval belongs to
    double runTime = 0.0; ///< seconds since the run started, at the end of the interval
    double phaseTime = 0.0; ///< seconds since the phase started, at the end of the interval
    double interval = 0.0; ///< length of the interval in seconds
    std::int64_t p50Nanos = 0; ///< median latency of the interval
    std::int64_t p99Nanos = 0; ///< 99th percentile latency of the interval
    std::int64_t p999Nanos = 0; ///< 99.9th percentile latency of the interval
    std::int64_t maxNanos = 0; ///< the interval's slowest request (within the histogram's precision)
    std::int64_t latencySumNanos = 0; ///< the interval's latencies added up (exact): what a live hit-cost model needs
    std::uint64_t phaseRequests = 0; ///< requests completed since the phase started
    bool warmup = false; ///< in the phase's warm-up (duration.warmup), left out of its figures
    std::int64_t staleAgeP99Nanos = 0; ///< 99th percentile age of the interval's stale reads (0 = none)
    /// A Redis L2: the median and 99th percentile round-trip of the interval's GETs (0 = none).
    std::int64_t l2RoundTripP50Nanos = 0;
    std::int64_t l2RoundTripP99Nanos = 0;
    /// Read replicas: how far the one furthest behind was at the interval's end, as last measured
    /// (db.replicas; about once a second) — in time and in WAL bytes; -1 = no replicas or not known.
    std::int64_t replicaLagNanos = -1;
    std::int64_t replicaLagBytes = -1;

    double requestsPerSecond() const { return interval > 0 ? double(requests) / interval : 0.0; }
    double dbStatementsPerSecond() const { return interval > 0 ? double(dbStatements) / interval : 0.0; }
    /// L1 hits ÷ reads and L2 hits ÷ reads of the interval.
    double l1HitRate() const { return reads ? double(l1Hits) / double(reads) : 0.0; }
    double l2HitRate() const { return reads ? double(l2Hits) / double(reads) : 0.0; }
};

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::MetricsSnapshot)
