#pragma once

#include "core/load/transfer.h"
#include "core/metrics/coldstart.h"
#include "core/metrics/kpi.h"
#include "core/metrics/latencyhistogram.h"
#include "core/metrics/metricssnapshot.h"
#include "core/metrics/requestcounts.h"
#include "core/scenario/scenario.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>
#include <stdexcept>

namespace cachescope {

/// Totals of one phase (or segment) of a run: its counters, its length and its latency.
struct PhaseResult : RequestCounts {
    double durationS = 0.0; ///< wall-clock length of the phase
    LatencyHistogram latency; ///< every request's latency (open model: from its intended start)
    LatencyHistogram serviceLatency; ///< open model: from each request's actual start (empty when closed)
    LatencyHistogram staleAge; ///< the age of each stale read's row (empty without stale reads)
    LatencyHistogram l2RoundTrip; ///< each Redis L2 GET's round-trip (empty without one)
    LatencyHistogram invalidationDelay; ///< write commit → another instance's L1 told (empty without)

    /// The figures of \a totals (what happened in the stretch) over \a seconds.
    static PhaseResult from(const RequestTotals &totals, double seconds);
    double requestsPerSecond() const { return durationS > 0 ? double(requests) / durationS : 0.0; }
    QJsonObject toJson() const;
    /// The phase \a json holds (toJson()'s form); throws ResultFormatError naming what is wrong.
    static PhaseResult fromJson(const QJsonObject &json);
};

/// A stretch of one phase with one configuration: a phase starts one, every live change
/// (ConfigChange) ends it and starts the next, so a change never mixes into the figures before it.
struct SegmentResult {
    Phase phase = Phase::Baseline; ///< the phase it belongs to
    double startS = 0.0; ///< seconds since the run started
    double endS = 0.0; ///< seconds since the run started
    QString change; ///< the change that started it ("key=value; ..."); empty at a phase start
    bool warmup = false; ///< the phase's warm-up (duration.warmup): not in the phase's figures
    PhaseResult stats; ///< its figures, as for a phase
};

/// What the warm-up of the cached phase did.
struct WarmupResult {
    QString strategy; ///< "top-n", "keys-file" or "query"
    QString source; ///< where the keys came from, in words
    std::int64_t keysPlanned = 0; ///< keys the strategy gave, within warmup.keys and the cache's capacity
    std::uint64_t keysLoaded = 0; ///< put into the cache
    std::uint64_t keysAlreadyCached = 0; ///< found but already cached (live traffic was first) or invalidated meanwhile
    std::uint64_t keysMissing = 0; ///< no row with that key
    std::uint64_t keysFailed = 0; ///< their statement failed (after retries)
    std::uint64_t keysNotRun = 0; ///< left when the time budget ran out or the phase ended
    std::uint64_t statements = 0; ///< database statements the warm-up ran (retries included)
    double durationS = 0.0; ///< from the phase's start to the warm-up's end
    QString cancelled; ///< why it stopped early ("time budget", "phase ended"); empty when it finished

    QJsonObject toJson() const;
    static WarmupResult fromJson(const QJsonObject &json);
};

/// Where the cached phase's warm-up stands: about ten times a second while it runs, once at its end.
struct WarmupProgress {
    std::uint64_t keysDone = 0; ///< keys whose statement finished
    std::uint64_t keysLoaded = 0; ///< of which put into the cache
    std::uint64_t keysTotal = 0; ///< keys planned
    double elapsedS = 0.0; ///< since the phase started
    bool finished = false; ///< the warm-up is over (done, or cut by its time budget or the phase's end)
};

/// A criterion's verdict, and a run's: FAIL when any criterion fails, else INCONCLUSIVE when any
/// could not be judged (or there is none), else PASS. A criterion is never passed by default.
enum class Verdict : std::uint8_t { Pass, Fail, Inconclusive };
/// "pass", "fail" or "inconclusive", as results name verdicts.
QString verdictName(Verdict verdict);

/// Why a criterion could not be judged.
enum class Unjudged : std::uint8_t {
    No, ///< it was judged
    NotMeasured, ///< the run did not measure its KPI (the phase or the setting it needs was absent)
    TooFewRequests, ///< the judged stretch holds fewer requests than the criterion's min_requests
    TooShort, ///< the judged stretch is shorter than the criterion's min_seconds
    NotANumber, ///< the measured value is not finite
};

/// The stretch of a phase a KPI was measured on: the whole phase, or its last segment when the run
/// had live changes (the configuration the user tuned to), as RunResult::kpiInputs() takes it.
struct JudgedStretch {
    Phase phase = Phase::Cached;
    double startS = 0.0; ///< run time at its start
    double endS = 0.0; ///< run time at its end
    double seconds = 0.0; ///< its measured length (the phase's or the segment's duration)
    std::uint64_t requests = 0; ///< requests it completed
    bool lastSegment = false; ///< the last segment after live changes, not the whole phase
    QJsonObject toJson() const;
};

/// One acceptance criterion after evaluation.
struct CriterionResult {
    Criterion criterion; ///< what was asked
    std::optional<double> measured; ///< the KPI's value; nullopt = not measured in this run
    std::optional<double> margin; ///< how far past the target (negative = short of it)
    std::optional<bool> passed; ///< true for PASS, false for FAIL, nullopt for INCONCLUSIVE
    Verdict verdict = Verdict::Inconclusive;
    Unjudged unjudged = Unjudged::NotMeasured; ///< why it is INCONCLUSIVE (No when judged)
    std::optional<double> marginRelative; ///< margin ÷ |target|; nullopt for a target of 0
    /// The measured value's 95 % interval: exact binomial for hit and error rates, a bootstrap
    /// over the judged stretch's 100 ms snapshots for the rest; absent for a single measurement
    /// (bytes read, cold start) or too few snapshots.
    std::optional<double> low;
    std::optional<double> high; ///< see low
    QString intervalMethod; ///< "exact binomial", "bootstrap", or empty
    std::optional<JudgedStretch> judged; ///< the tuned (cached) stretch it was judged on
    std::optional<JudgedStretch> against; ///< the baseline stretch, for a KPI against the baseline

    /// The interval holds the target: the verdict rests on a difference within the noise.
    bool withinNoise() const { return low && high && *low <= criterion.target && criterion.target <= *high; }
    /// Why it is INCONCLUSIVE, in words ("judged on 420 requests, fewer than the 1000 required");
    /// empty when judged. English (results and the command line keep it), or with \a translated
    /// in the language the application installed (context "Verdict"), for the window and reports.
    QString reason(bool translated = false) const;
    QJsonObject toJson() const;
};

/// Everything a finished (or stopped) run produced.
struct RunResult {
    Scenario scenario; ///< the scenario as run
    QJsonObject environment; ///< machine and library versions
    QString databasePath; ///< the database actually used
    std::int64_t keysUsed = 0; ///< distinct keys drawn from (≤ workload.keys when the table is smaller)
    int workers = 0; ///< engine worker threads
    std::optional<PhaseResult> baseline; ///< absent when the baseline did not run
    std::optional<PhaseResult> cached; ///< absent when the cached phase did not run
    std::optional<PhaseResult> cold; ///< the cached phase run cold for comparison (warm-up with warmup.compare)
    std::optional<WarmupResult> warmup; ///< the cached phase's warm-up, when it had one
    /// Warm-up size for the next run: the fewest hottest keys that covered warmup.coverage of
    /// the reads (within the cache's capacity); 0 = nothing observed.
    std::int64_t suggestedWarmupKeys = 0;
    QString hotSetSnapshot; ///< the snapshot file this run wrote (empty when none)
    QList<MetricsSnapshot> timeSeries; ///< the snapshots, in order (bounded: coarsenTimeSeries)
    QList<SegmentResult> segments; ///< every segment of both phases, in order
    std::optional<TransferMeasurement> transfer; ///< projection against full rows, when a projection is set
    QStringList notes; ///< things the user should know about the run (e.g. bad trace lines)
    bool stopped = false; ///< ended early by the user
    QDateTime finishedAt; ///< when the run ended (UTC); invalid in results written before it was kept
    QString error; ///< why the run failed; empty on success
    bool badInput = false; ///< the run never started: error names input that cannot be used

    /// The measured KPIs (kpiTable(), as DESIGN.md defines them) by key; one not measured is absent.
    QHash<QString, double> kpis;
    std::optional<ColdStart> coldStart; ///< the cached phase's (warm-up included)
    std::optional<ColdStart> coldStartCold; ///< the cold comparison phase's
    /// Engine cost per baseline request beyond the time spent inside SQLite (µs).
    std::optional<double> engineOverheadUs;

    QList<CriterionResult> criteria;
    Verdict verdict = Verdict::Inconclusive; ///< the criteria's overall verdict (see Verdict)
    bool passed = false; ///< verdict PASS and no error: every criterion judged and met

    /// Fills the KPIs, criteria and passed. Without live changes the KPIs compare the two phases;
    /// with them, the last segment of each phase (the configuration the user tuned to).
    void evaluate();
    /// The stretch of \a phase the KPIs are computed from; nullopt when the phase did not run.
    std::optional<JudgedStretch> judgedStretch(Phase phase) const;
    /// The snapshots of the judged stretch of \a phase (its warm-up left out), in order.
    QList<const MetricsSnapshot *> judgedSnapshots(Phase phase) const;
    /// Judges every criterion of the scenario (evaluate() calls it once the KPIs are known).
    void judgeCriteria();
    /// The KPI \a key (a key of kpiTable()); nullopt = not measured.
    std::optional<double> kpi(const QString &key) const;
    /// What the KPIs are computed from: the last segment of each phase when the run had live
    /// changes (the configuration the user tuned to), the whole phases otherwise.
    KpiInputs kpiInputs() const;
    QJsonObject toJson() const;
    /// The run a result JSON (toJson()'s form, format_version 1) holds, evaluated again: its KPIs,
    /// criteria and verdict are recomputed from its phases, so a saved result gives the same report
    /// as the run did. Throws ResultFormatError naming the field that is missing or wrong; results
    /// written before the latency histograms were saved are refused with that reason.
    static RunResult fromJson(const QJsonObject &json);
};

/// A result file that cannot be read back.
class ResultFormatError : public std::runtime_error {
public:
    explicit ResultFormatError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// One sampling interval as the result's time series stores it (MetricsSnapshot's fields).
QJsonObject snapshotToJson(const MetricsSnapshot &snapshot);
/// The interval \a json holds; throws ResultFormatError.
MetricsSnapshot snapshotFromJson(const QJsonObject &json);

/// The machine and library facts a result records.
QJsonObject collectEnvironment();

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::RunResult)
Q_DECLARE_METATYPE(cachescope::WarmupProgress)
