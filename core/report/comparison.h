#pragma once

#include "core/metrics/interval.h"
#include "core/metrics/kpi.h"
#include "core/result/runresult.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachescope {

/// A run taking part in a comparison, and what to call it.
struct ComparedRun {
    QString label; ///< "#12 tuned", "a.json"
    RunResult result;
};

/// One figure across the compared runs: the KPIs of kpiTable(), then the cached phase's own
/// throughput and latency.
struct ComparisonRow {
    QString key; ///< a KPI key, or "cached_requests_per_s", "cached_p50_us", "cached_p99_us"
    QString title; ///< "Hit rate", "Cached requests/s"
    Better better = Better::Higher; ///< which way is good
    /// How to print a value: a share (percent), a multiple (×), or a plain figure with this unit.
    enum class Format : std::uint8_t { Share, Multiple, Plain } format = Format::Share;
    QString unit; ///< Plain: "req/s", "µs"
    QList<std::optional<Estimate>> values; ///< per run; nullopt = not measured in that run
    /// per run: value − the first run's value (nullopt for the first, or when either is missing)
    QList<std::optional<Estimate>> deltas;

    /// "99.1 %", "5.23×", "41 200 req/s".
    QString formatValue(double value) const;
    /// "+1.2 pp", "−0.40×", "−12.0 %" (a plain figure's change relative to the first run).
    QString formatDelta(const Estimate &delta, double reference) const;

    /// What run \a i's delta says once the noise is left out.
    enum class Change : std::uint8_t {
        None, ///< within the noise floor, or its interval holds 0: "no change"
        Better,
        Worse,
    };
    /// Run \a i's change against the first: None when its delta is within \a noiseFloor of the
    /// first run's value (a fraction: 0.01 = 1 %), or its 95 % interval holds 0; nullopt when
    /// either run did not measure the figure.
    std::optional<Change> change(qsizetype i, double noiseFloor) const;
};

/// A figure that got worse than the first run by more than allowed.
struct Regression {
    QString key; ///< the row
    QString run; ///< the run's label
    double delta = 0.0; ///< its change against the first run
    double tolerance = 0.0; ///< what was allowed
};

/// A threshold of --fail-on-regression: KPI[=T], T in the figure's own units (0.01 for a share is
/// one percentage point; 0.5 for a multiple; for a plain figure, a fraction of the first run's).
struct RegressionRule {
    QString key;
    double tolerance = 0.0;
    /// "hit_rate" or "throughput_ratio=0.5"; throws ResultFormatError naming what is wrong.
    static RegressionRule parse(const QString &text);
};

/// 2–5 runs side by side; the first is the reference the deltas are taken against.
struct Comparison {
    static constexpr double kDefaultNoiseFloor = 0.01;
    QStringList labels; ///< the runs' labels, in order
    /// Differences smaller than this fraction of the first run's value are "no change" (and never
    /// a regression); see ComparisonRow::change().
    double noiseFloor = kDefaultNoiseFloor;
    QStringList settingsDiffer; ///< "key: a | b | c" for every setting the runs do not share
    QList<ComparisonRow> rows;

    /// The rows' keys (what RegressionRule accepts).
    static QStringList rowKeys();
    /// Compares \a runs (2–5; throws ResultFormatError otherwise).
    static Comparison of(const QList<ComparedRun> &runs);
    /// The rows that got worse past their rule's tolerance and beyond the noise.
    QList<Regression> regressions(const QList<RegressionRule> &rules) const;
    /// A table for a terminal.
    QString text() const;
    /// The same as one self-contained HTML page (no network), for a review or a CI artefact.
    QString html() const;
    /// The comparison as JSON: labels, settings that differ, and per row the values and deltas
    /// with their intervals.
    QJsonObject toJson() const;
};

} // namespace cachescope
