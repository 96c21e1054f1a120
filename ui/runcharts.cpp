#include "ui/runcharts.h"

#include "core/experiment/phaserunner.h"
#include "core/metrics/coldstart.h"
#include "ui/livechart.h"
#include "ui/tiptext.h"

#include <QChart>
#include <QLegend>

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

RunCharts::RunCharts(QWidget *owner)
{
    m_hitRateChart = new LiveChart(tr("Cache hit rate"), tr("cached phase time (s)"), tr("hit rate (%)"), owner);
    m_hitRateChart->setObjectName(u"hitRateChart"_s);
    m_hitRateChart->setFixedYRange(0, 100);
    m_hitSeries = m_hitRateChart->addSeries(tr("per 100 ms"), QColor(0x1f, 0x77, 0xb4));
    m_l1HitSeries = m_hitRateChart->addSeries(u"L1"_s, QColor(0x9e, 0xc5, 0xe8), Qt::DashLine);
    m_l2HitSeries = m_hitRateChart->addSeries(u"L2"_s, QColor(0xff, 0x7f, 0x0e), Qt::DashLine);
    m_coldHitSeries = m_hitRateChart->addSeries(tr("cold run"), QColor(0x7f, 0x7f, 0x7f), Qt::DotLine);
    m_windowHitSeries = m_hitRateChart->addSeries(tr("over 1 s"), QColor(0x0b, 0x3d, 0x91));
    // A workload that writes: the share of reads that were stale (db.version_column).
    m_staleRateSeries = m_hitRateChart->addSeries(tr("stale"), QColor(0x8c, 0x56, 0x4b), Qt::DotLine);
    m_boundChart
        = new LiveChart(tr("Throughput ratio and its bound B(h)"), tr("cached phase time (s)"), tr("ratio (×)"), owner);
    m_boundChart->setObjectName(u"boundChart"_s);
    m_ratioSeries = m_boundChart->addSeries(tr("measured ratio"), QColor(0xd6, 0x27, 0x28));
    m_boundSeries = m_boundChart->addSeries(tr("bound B(h)"), QColor(0x2c, 0xa0, 0x2c), Qt::DashLine);
    m_boundChart->setToolTip(tipText(tr("Per 100 ms: the cached throughput over the baseline's, and the best ratio the "
                                        "interval's hit rate allows with a hit costing what the run measured (the "
                                        "hit-rate bound). A ratio well under its bound is the cache's own cost, not "
                                        "its hit rate.")));
    m_bytesChart = new LiveChart(tr("Bytes read from the database"), tr("phase time (s)"), tr("MB/s"), owner);
    m_bytesChart->setObjectName(u"bytesChart"_s);
    m_baselineBytesSeries = m_bytesChart->addSeries(tr("baseline"), QColor(0x7f, 0x7f, 0x7f));
    m_cachedBytesSeries = m_bytesChart->addSeries(tr("cached"), QColor(0xd6, 0x27, 0x28));
    m_stalenessChart
        = new LiveChart(tr("Staleness: replica lag and stale-read age"), tr("phase time (s)"), tr("ms"), owner);
    m_stalenessChart->setObjectName(u"stalenessChart"_s);
    m_replicaLagSeries = m_stalenessChart->addSeries(tr("replica lag (ms)"), QColor(0x94, 0x67, 0xbd));
    m_staleAgeSeries = m_stalenessChart->addSeries(tr("stale age p99 (ms)"), QColor(0xd6, 0x27, 0x28), Qt::DashLine);
    m_stalenessChart->setToolTip(tipText(tr("Per 100 ms of a workload that writes: the 99th percentile of how long the "
                                            "rows of stale reads (older than a write committed before the read) had "
                                            "been superseded (db.version_column); with read replicas, how far the one "
                                            "furthest behind was, as last measured. The share of stale reads is on "
                                            "the hit-rate chart.")));
    // A Redis L2: what its GETs take (send to answer), the cost of every L2 hit.
    m_l2Chart = new LiveChart(tr("Redis L2: round-trip per 100 ms"), tr("phase time (s)"), tr("µs"), owner);
    m_l2Chart->setObjectName(u"l2Chart"_s);
    m_l2RttSeries[0] = m_l2Chart->addSeries(tr("L2 round-trip p50"), QColor(0x1f, 0x77, 0xb4));
    m_l2RttSeries[1] = m_l2Chart->addSeries(tr("L2 round-trip p99"), QColor(0x1f, 0x77, 0xb4), Qt::DashLine);
    m_l2Chart->setToolTip(
        tipText(tr("Per 100 ms of a run with a Redis L2 (cache.l2.backend=redis): the median and 99th "
                   "percentile of its GETs, from the request to its answer — what each L2 hit "
                   "costs, and what each L1 miss pays before it reaches the database.")));
    m_throughputChart
        = new LiveChart(tr("Throughput: baseline vs cached"), tr("phase time (s)"), tr("thousands per second"), owner);
    m_throughputChart->setObjectName(u"throughputChart"_s);
    // Short legend names: at 1280×800 the chart is ~400 px wide and a longer legend is cut off.
    m_baselineSeries = m_throughputChart->addSeries(tr("baseline req/s"), QColor(0x7f, 0x7f, 0x7f));
    m_cachedSeries = m_throughputChart->addSeries(tr("cached req/s"), QColor(0xd6, 0x27, 0x28));
    m_cachedDbSeries = m_throughputChart->addSeries(tr("DB queries/s"), QColor(0x2c, 0xa0, 0x2c), Qt::DashLine);
    m_coldStartChart = new LiveChart(tr("Cold start: hit rate over 1 s, cold vs warmed"),
        tr("time since the cached phase started (s)"), tr("hit rate (%)"), owner);
    m_coldStartChart->setObjectName(u"coldStartChart"_s);
    m_coldStartChart->setFixedYRange(0, 100);
    m_coldRampSeries = m_coldStartChart->addSeries(tr("cold"), QColor(0x7f, 0x7f, 0x7f));
    m_warmRampSeries = m_coldStartChart->addSeries(tr("warmed up"), QColor(0x2c, 0xa0, 0x2c));
    m_latencyChart = new LiveChart(tr("Latency per 100 ms: baseline vs cached"), tr("phase time (s)"), tr("µs"), owner);
    m_latencyChart->setObjectName(u"latencyChart"_s);
    // One snapshot feeds every chart: their redraws are spread over the 100 ms between two
    // snapshots, so the event loop never paints them all in one pass (bench/gui_responsiveness).
    int delay = 10;
    for (LiveChart *chart : {m_hitRateChart, m_throughputChart, m_latencyChart, m_boundChart, m_bytesChart,
             m_coldStartChart, m_stalenessChart, m_l2Chart}) {
        chart->setRedrawDelay(delay);
        delay += 15;
    }
    m_latencyChart->setLogY(1, 1000);
    m_latencyChart->chart()->legend()->setAlignment(Qt::AlignRight);
    const QColor colors[2] = {QColor(0x7f, 0x7f, 0x7f), QColor(0xd6, 0x27, 0x28)};
    const Qt::PenStyle styles[4] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotDotLine};
    const QString names[4] = {u"p50"_s, u"p99"_s, u"p99.9"_s, tr("max")};
    for (int phase = 0; phase < 2; ++phase) {
        for (int q = 0; q < 4; ++q) {
            m_latencySeries[phase][q]
                = m_latencyChart->addSeries((phase == 0 ? tr("baseline %1") : tr("cached %1")).arg(names[q]),
                    q == 3 ? colors[phase].lighter(140) : colors[phase], styles[q]);
        }
    }
}

QList<LiveChart *> RunCharts::all() const
{
    return {m_hitRateChart, m_latencyChart, m_throughputChart, m_coldStartChart, m_boundChart, m_bytesChart,
        m_stalenessChart, m_l2Chart};
}

void RunCharts::clear(const Scenario &run)
{
    m_run = run;
    for (LiveChart *chart : all())
        chart->clear();
    m_hitTail.clear();
    m_rampTail.clear();
    m_baselineSoFar = {};
    m_hasStaleness = false;
    m_hasL2 = false;
    const bool warmup = run.warmup.strategy != WarmupStrategy::None || run.warmup.autoSize;
    m_coldStartChart->setSeriesName(m_warmRampSeries, warmup ? tr("warmed up") : tr("cached phase (no warm-up)"));
}

void RunCharts::startPhase(Phase phase, double plannedSeconds)
{
    m_phase = phase;
    m_rampTail.clear();
    if (phase != Phase::Baseline) {
        m_coldStartChart->setXSpan(std::min(plannedSeconds, 10.0));
        m_hitRateChart->setXSpan(plannedSeconds);
        m_boundChart->setXSpan(plannedSeconds);
        m_hitTail.clear();
    }
    const double span = std::max(plannedSeconds, std::chrono::duration<double>(m_run.duration.cached).count());
    m_throughputChart->setXSpan(span);
    m_latencyChart->setXSpan(span);
    m_bytesChart->setXSpan(span);
    m_stalenessChart->setXSpan(span);
    m_l2Chart->setXSpan(span);
}

std::optional<KpiInputs> RunCharts::addSnapshot(const MetricsSnapshot &s)
{
    m_phaseStartRunTime = s.runTime - s.phaseTime;
    // The last snapshot of a phase covers only the few milliseconds in which clients wind
    // down; its rates say nothing about the phase, so it is counted but not drawn.
    const bool drawable = s.interval >= 0.5 * PhaseRunner::kSampleIntervalMs / 1000.0;
    if (drawable && s.phase != Phase::Cold && s.requests > 0) {
        const int phase = s.phase == Phase::Baseline ? 0 : 1;
        const std::int64_t values[4] = {s.p50Nanos, s.p99Nanos, s.p999Nanos, s.maxNanos};
        for (int q = 0; q < 4; ++q)
            m_latencyChart->append(m_latencySeries[phase][q], {s.phaseTime, double(values[q]) / 1000.0});
        if (s.l2RoundTripP50Nanos > 0) {
            m_l2Chart->append(m_l2RttSeries[0], {s.phaseTime, double(s.l2RoundTripP50Nanos) / 1000.0});
            m_l2Chart->append(m_l2RttSeries[1], {s.phaseTime, double(s.l2RoundTripP99Nanos) / 1000.0});
            m_hasL2 = true;
        }
    }
    if (drawable && s.phase != Phase::Cold) {
        if (s.replicaLagNanos >= 0) {
            m_stalenessChart->append(m_replicaLagSeries, {s.phaseTime, double(s.replicaLagNanos) / 1e6});
            m_hasStaleness = true;
        }
        if (s.checkedReads > 0) {
            m_stalenessChart->append(m_staleAgeSeries, {s.phaseTime, double(s.staleAgeP99Nanos) / 1e6});
            m_hitRateChart->append(
                m_staleRateSeries, {s.phaseTime, 100.0 * double(s.staleReads) / double(s.checkedReads)});
            m_hasStaleness = true;
        }
    }
    if (s.phase == Phase::Baseline) {
        if (!s.warmup) {
            m_baselineSoFar.counts += s;
            m_baselineSoFar.seconds += s.interval;
            m_baselineSoFar.latencyNanos += double(s.latencySumNanos);
        }
        if (drawable) {
            m_throughputChart->append(m_baselineSeries, {s.phaseTime, s.requestsPerSecond() / 1000.0});
            m_bytesChart->append(m_baselineBytesSeries, {s.phaseTime, double(s.bytesRead) / s.interval / 1e6});
        }
        return std::nullopt;
    }
    // The cold-start curves: the hit rate over the last second (less at the phase's start).
    m_rampTail.append(s);
    while (m_rampTail.size() > 20)
        m_rampTail.removeFirst();
    const std::vector<RampPoint> ramp = hitRateRamp(m_rampTail, s.phase);
    if (!ramp.empty() && s.hits + s.misses > 0)
        m_coldStartChart->append(s.phase == Phase::Cold ? m_coldRampSeries : m_warmRampSeries,
            {ramp.back().phaseTime, ramp.back().hitRate * 100.0});
    // The cold comparison run shows in the cold-start chart and as its own hit-rate line; the
    // throughput chart shows the phases whose figures the KPIs compare.
    if (!drawable)
        return std::nullopt;
    if (s.phase == Phase::Cold) {
        if (s.hits + s.misses > 0)
            m_hitRateChart->append(m_coldHitSeries, {s.phaseTime, s.hitRate() * 100.0});
        return std::nullopt;
    }
    m_throughputChart->append(m_cachedSeries, {s.phaseTime, s.requestsPerSecond() / 1000.0});
    m_throughputChart->append(m_cachedDbSeries, {s.phaseTime, s.dbStatementsPerSecond() / 1000.0});
    m_bytesChart->append(m_cachedBytesSeries, {s.phaseTime, double(s.bytesRead) / s.interval / 1e6});
    if (s.hits + s.misses > 0) {
        m_hitRateChart->append(m_hitSeries, {s.phaseTime, s.hitRate() * 100.0});
        m_hitRateChart->append(m_l1HitSeries, {s.phaseTime, s.l1HitRate() * 100.0});
        m_hitRateChart->append(m_l2HitSeries, {s.phaseTime, s.l2HitRate() * 100.0});
    }
    // The hit rate over the chosen window: the snapshots of its last seconds added up.
    m_hitTail.append(s);
    while (!m_hitTail.isEmpty() && m_hitTail.first().phaseTime <= s.phaseTime - m_hitWindowS)
        m_hitTail.removeFirst();
    std::uint64_t windowHits = 0;
    std::uint64_t windowReads = 0;
    for (const MetricsSnapshot &t : m_hitTail) {
        windowHits += t.hits;
        windowReads += t.reads;
    }
    if (windowReads > 0)
        m_hitRateChart->append(m_windowHitSeries, {s.phaseTime, 100.0 * double(windowHits) / double(windowReads)});
    // The live figures: the same KPI definitions as the final ones, on the baseline so far and this
    // interval (percentiles are not added up over snapshots, so the latency waits for the end).
    if (s.warmup)
        return std::nullopt;
    KpiInputs live;
    if (m_baselineSoFar.seconds > 0)
        live.baseline = m_baselineSoFar;
    live.tuned = KpiPhase {s, s.interval, 0, 0, double(s.latencySumNanos)};
    live.workers = m_run.effectiveWorkers();
    live.closedModel = m_run.workload.model == LoadModel::Closed && m_run.workload.thinkTime.count() == 0;
    if (const std::optional<HitCostModel> m = HitCostModel::of(live)) {
        m_boundChart->append(m_ratioSeries, {s.phaseTime, m->bound * m->efficiency});
        m_boundChart->append(m_boundSeries, {s.phaseTime, m->bound});
    }
    return live;
}

void RunCharts::addChange(double x, const QString &change)
{
    m_throughputChart->addMarker(x, change);
    m_latencyChart->addMarker(x, change);
    if (m_phase == Phase::Cached)
        m_hitRateChart->addMarker(x, change);
}

void RunCharts::setHitWindow(double seconds)
{
    m_hitWindowS = std::max(0.1, seconds);
    m_hitRateChart->setSeriesName(m_windowHitSeries, tr("over %1 s").arg(std::lround(m_hitWindowS)));
}

void RunCharts::replay(const RunResult &result, const Replay &to)
{
    const auto phaseSeconds = [&result](Phase p) {
        const std::optional<PhaseResult> &phase
            = p == Phase::Baseline ? result.baseline : (p == Phase::Cold ? result.cold : result.cached);
        return phase ? phase->durationS : 0.0;
    };
    std::optional<Phase> current;
    qsizetype nextSegment = 0;
    for (const MetricsSnapshot &s : result.timeSeries) {
        if (current != s.phase) {
            current = s.phase;
            to.phaseStarted(s.phase, phaseSeconds(s.phase));
        }
        to.snapshot(s);
        // A live change's marker where its segment began.
        while (nextSegment < result.segments.size() && result.segments.at(nextSegment).startS <= s.runTime) {
            const SegmentResult &segment = result.segments.at(nextSegment++);
            if (!segment.change.isEmpty() && segment.phase == s.phase)
                to.changeApplied(segment.startS, segment.change);
        }
    }
}

void RunCharts::show(const RunResult &result)
{
    clear(result.scenario);
    replay(result,
        {[this](Phase phase, double planned) { startPhase(phase, planned); },
            [this](const MetricsSnapshot &s) { addSnapshot(s); },
            [this](double runTime, const QString &change) { addChange(runTime - m_phaseStartRunTime, change); }});
}

} // namespace cachescope
