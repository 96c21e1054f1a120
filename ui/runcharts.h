#pragma once

#include "core/metrics/kpi.h"
#include "core/metrics/metricssnapshot.h"
#include "core/result/runresult.h"
#include "core/scenario/scenario.h"

#include <QCoreApplication>
#include <QList>

#include <functional>
#include <optional>

class QWidget;

namespace cachescope {

class LiveChart;

/// The seven charts of a run, fed by its snapshots: what the window shows live and what a report
/// draws, so both show a run the same way. The charts are children of the widget given (which
/// lays them out); this object keeps what feeding them needs between snapshots.
class RunCharts {
    Q_DECLARE_TR_FUNCTIONS(RunCharts)
public:
    explicit RunCharts(QWidget *owner);

    LiveChart *hitRate() const { return m_hitRateChart; }
    LiveChart *latency() const { return m_latencyChart; }
    LiveChart *throughput() const { return m_throughputChart; }
    LiveChart *coldStart() const { return m_coldStartChart; }
    LiveChart *bound() const { return m_boundChart; }
    LiveChart *bytes() const { return m_bytesChart; }
    LiveChart *staleness() const { return m_stalenessChart; }
    LiveChart *l2() const { return m_l2Chart; }
    /// In the window's order: hit rate, latency, throughput, cold start, bound, bytes, staleness.
    QList<LiveChart *> all() const;
    /// Whether the staleness chart has anything to show (stale-read checks or replica lag).
    bool hasStaleness() const { return m_hasStaleness; }
    /// Whether the run had a Redis L2 whose round-trips the L2 chart shows.
    bool hasL2() const { return m_hasL2; }

    /// Empties the charts for a run of \a run.
    void clear(const Scenario &run);
    /// A phase of \a plannedSeconds starts (the x spans follow it).
    void startPhase(Phase phase, double plannedSeconds);
    /// Draws \a snapshot. Returns what the live KPI tiles compute from it: the baseline so far
    /// against this interval (nullopt for the baseline's, a warm-up's and the cold run's).
    std::optional<KpiInputs> addSnapshot(const MetricsSnapshot &snapshot);
    /// A live change at \a x seconds into the current phase: a marker on the charts it concerns.
    void addChange(double x, const QString &change);
    /// The hit-rate line over this many seconds (default 1).
    void setHitWindow(double seconds);
    double hitWindow() const { return m_hitWindowS; }

    /// The events a stored run's time series gives, in order: a phase start, each snapshot and each
    /// live change (its run time), as a live run gave them.
    struct Replay {
        std::function<void(Phase, double plannedSeconds)> phaseStarted;
        std::function<void(const MetricsSnapshot &)> snapshot;
        std::function<void(double runTime, const QString &change)> changeApplied;
    };
    static void replay(const RunResult &result, const Replay &to);
    /// Clears the charts and draws the whole of \a result.
    void show(const RunResult &result);

private:
    Scenario m_run;
    Phase m_phase = Phase::Baseline;
    double m_phaseStartRunTime = 0.0;
    LiveChart *m_hitRateChart = nullptr;
    LiveChart *m_throughputChart = nullptr;
    int m_hitSeries = -1;
    int m_l1HitSeries = -1;
    int m_l2HitSeries = -1;
    int m_baselineSeries = -1;
    int m_cachedSeries = -1;
    int m_cachedDbSeries = -1;
    LiveChart *m_latencyChart = nullptr;
    int m_latencySeries[2][4] = {{-1, -1, -1, -1}, {-1, -1, -1, -1}}; // [baseline, cached][p50, p99, p99.9, max]
    int m_l2RttSeries[2] = {-1, -1}; // Redis L2 round-trip [p50, p99]
    LiveChart *m_coldStartChart = nullptr; // hit rate over 1 s: cold run vs warmed, from each phase's start
    int m_coldRampSeries = -1;
    int m_warmRampSeries = -1;
    QList<MetricsSnapshot> m_rampTail; // the current phase's last second or so of snapshots
    int m_coldHitSeries = -1; // the hit-rate chart's cold comparison run
    int m_windowHitSeries = -1; // the hit rate over the chosen window
    int m_staleRateSeries = -1; // the share of stale reads
    double m_hitWindowS = 1.0;
    QList<MetricsSnapshot> m_hitTail; // the cached phase's snapshots within the window
    LiveChart *m_boundChart = nullptr;
    int m_ratioSeries = -1;
    int m_boundSeries = -1;
    LiveChart *m_bytesChart = nullptr;
    int m_baselineBytesSeries = -1;
    int m_cachedBytesSeries = -1;
    LiveChart *m_stalenessChart = nullptr; // replica lag and the age of stale reads, in ms
    LiveChart *m_l2Chart = nullptr; // a Redis L2's round-trip, in µs
    int m_replicaLagSeries = -1;
    int m_staleAgeSeries = -1;
    bool m_hasStaleness = false;
    bool m_hasL2 = false;
    KpiPhase m_baselineSoFar; // the measured baseline's snapshots added up: what live KPIs compare with
};

} // namespace cachescope
