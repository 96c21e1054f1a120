#pragma once

#include "core/metrics/requestcounts.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace cachescope {

/// One side of a comparison: what a stretch of a phase did, over how long, how fast it answered.
struct KpiPhase {
    RequestCounts counts; ///< the stretch's counters
    double seconds = 0.0; ///< its length
    std::int64_t p50Nanos = 0; ///< its median latency (0 = not known)
    std::int64_t p99Nanos = 0; ///< its 99th percentile latency (0 = not known)
    double latencyNanos = 0.0; ///< its requests' latencies summed (0 = not known)
    std::int64_t staleAgeP99Nanos = 0; ///< 99th percentile age of its stale reads' rows (0 = none or not known)

    double requestsPerSecond() const { return seconds > 0 ? double(counts.requests) / seconds : 0.0; }
    /// The figures of \a totals over \a seconds.
    static KpiPhase of(const RequestTotals &totals, double seconds);
};

/// What the KPIs are computed from: the baseline and the tuned stretch of the cached phase, and
/// the measurements that are not request counts. Absent parts leave their KPIs unmeasured.
struct KpiInputs {
    std::optional<KpiPhase> baseline; ///< the uncached stretch compared with
    std::optional<KpiPhase> tuned; ///< the cached stretch (the configuration tuned to)
    std::optional<double> bytesProjected; ///< transfer: bytes read with the projection
    std::optional<double> bytesFull; ///< transfer: bytes read with full rows, same keys
    std::optional<double> warmStartSeconds; ///< cold start of the warmed cached phase
    std::optional<double> coldStartSeconds; ///< cold start of the same phase run cold
    int workers = 0; ///< engine worker threads (the hit-rate bound: 0 = not known)
    bool closedModel = false; ///< closed model without think time: the bound applies
};

/// What a hit and a miss cost, in baseline reads, and the throughput ratio the hit rate allows:
/// with a hit costing c and a miss 1, the best ratio at a share h of requests answered by the
/// cache is B(h) = 1 / ((1 − h) + h·c) (docs/benchmarks.md, "The hit-rate bound"). A request's
/// cost is its latency plus its share of the worker time spent outside requests (the loop, the
/// counters); a baseline read's is the baseline's worker time per request.
struct HitCostModel {
    double hitShare = 0.0; ///< h: hits ÷ requests of the tuned stretch (writes always reach the database)
    double hitCost = 0.0; ///< c: a hit's cost in baseline reads
    std::optional<double> missCost; ///< a miss's cost in baseline reads, from the measured ratio (h < 0.999)
    double bound = 0.0; ///< B(h)
    double efficiency = 0.0; ///< the measured throughput ratio ÷ B(h)

    /// The model of \a in; nullopt when it does not apply (open model or think time, timing off,
    /// no hits, no baseline).
    static std::optional<HitCostModel> of(const KpiInputs &in);
};

/// Which way a KPI improves.
enum class Better : std::uint8_t { Higher, Lower };

/// What a KPI's value is, and so how it is shown and entered.
enum class KpiUnit : std::uint8_t {
    Share, ///< a fraction, shown in percent ("99.1 %")
    Multiple, ///< a ratio, shown as a multiple ("5.23×")
    Milliseconds, ///< a time in milliseconds ("1.25 ms")
    PerSecond, ///< a rate of requests ("41200 req/s")
};

/// One KPI: its identity (key, title, unit, direction) and how it is computed. kpiTable() holds
/// each once; results, reports, writers and the GUI's tiles (live and final) all go through it.
struct KpiDef {
    QString key; ///< the result JSON's name, and what criteria name ("hit_rate")
    QString title; ///< how screens and reports call it ("Hit rate")
    KpiUnit unit = KpiUnit::Share; ///< what the value is
    Better better = Better::Higher; ///< which way is good
    /// The KPI compares the tuned stretch with the baseline (a reduction or a ratio); otherwise it
    /// is measured on the tuned stretch alone (hit rate, p99 latency, error rate, throughput).
    bool againstBaseline = false;
    std::optional<double> (*compute)(const KpiInputs &) = nullptr; ///< nullopt = not measured
    QString help; ///< what it measures, in one line

    /// "99.1 %", "5.23×", "1.25 ms" or "41200 req/s".
    QString format(double value) const;
    /// A share is shown and entered in percent: 100; everything else as it is: 1.
    double shownScale() const { return unit == KpiUnit::Share ? 100.0 : 1.0; }
    /// "%", "×", "ms" or "req/s": the unit a value is shown and entered in.
    QString unitSymbol() const;
};

/// Every KPI, in the order results and screens list them.
const QList<KpiDef> &kpiTable();
/// The KPI with \a key, or null.
const KpiDef *findKpi(const QString &key);
/// Every KPI key, in table order.
QStringList kpiKeys();

} // namespace cachescope
