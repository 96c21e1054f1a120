// PhaseRunner's live side: which settings may change during a run, how the run's clients
// and round-trip settings are dealt to the workers, and applying a change mid-run — one exact
// cut per worker that closes a segment and opens the next, with a note in the result when the
// change makes the figures it compares unlike.
#include "core/experiment/phaserunner.h"
#include "core/plan/preflight.h"

#include "core/cache/tieredcache.h"
#include "core/experiment/enginethreadhost.h"
#include "core/scenario/settings.h"

using namespace Qt::StringLiterals;

namespace cachescope {

std::vector<std::vector<int>> PhaseRunner::clientsPerWorker() const
{
    // Client c runs on worker c mod W, as at the start: a raised concurrency adds clients to the
    // same threads (the number of threads is fixed for the run).
    const auto count = int(m_workers.size());
    std::vector<std::vector<int>> clients(static_cast<std::size_t>(count));
    for (int c = 0; c < m_live.workload.concurrency; ++c)
        clients[std::size_t(c % count)].push_back(c);
    return clients;
}

std::vector<ClientSettings> PhaseRunner::liveSettings() const
{
    const std::vector<std::vector<int>> clients = clientsPerWorker();
    std::vector<ClientSettings> live;
    for (std::size_t i = 0; i < m_workers.size(); ++i)
        live.push_back(
            {m_live.db.rtt, m_live.db.rttJitter, m_live.workload.thinkTime, m_live.db.failureRate, clients[i],
                m_live.workload.model == LoadModel::Open ? m_live.workload.rate / double(m_workers.size()) : 0.0});
    return live;
}

void PhaseRunner::applyChange(const ConfigChange &change)
{
    if (!m_running || !m_stopPhase || m_stopPhase->load()) {
        Q_EMIT changeRejected(u"no run is going on"_s);
        return;
    }
    for (const SettingAssignment &assignment : change.assignments) {
        const SettingDef *setting = findSetting(assignment.key);
        if (!setting || !setting->live) {
            Q_EMIT changeRejected(
                u"%1 cannot change during a run (live: %2)"_s.arg(assignment.key, Scenario::liveKeys().join(u", "_s)));
            return;
        }
        try {
            setting->checked(assignment.value);
        } catch (const ScenarioError &error) {
            Q_EMIT changeRejected(error.message());
            return;
        }
    }
    if (change.isEmpty())
        return;
    Scenario next = m_live;
    change.applyTo(next);
    // One exact cut per worker ends the segment, and the worker's new settings take effect in
    // the same step; the cache is reconfigured right before.
    m_live = next;
    for (const std::shared_ptr<TieredCache> &cache : m_caches)
        cache->reconfigure(cacheConfig(m_live));
    const std::vector<ClientSettings> live = liveSettings();
    const std::int64_t cutNs = m_runClock.nsecsElapsed();
    const Totals cut = cutTotals([this, &live](std::size_t i) { m_workers[i].worker->applyLive(live[i]); });
    closeSegment(cut, cutNs);
    const QString text = change.toString();
    openSegment(cut, cutNs, text);
    noteUnlikeComparison(change, double(cutNs) / 1e9);
    Q_EMIT changeApplied(double(cutNs) / 1e9, text);
    Q_EMIT statusChanged(tr("Changed: %1").arg(text));
}

void PhaseRunner::noteUnlikeComparison(const ConfigChange &applied, double atSeconds)
{
    // The KPIs compare the last segment of the baseline with the last of the cached phase: the
    // cache's own settings may differ (that is the tuning), the workload and the database may not.
    const QString change = applied.toString();
    const QString at = QString::number(atSeconds, 'f', 1);
    if (m_phase == Phase::Cold) {
        m_result.notes << u"%1 changed at %2 s during the cold run that the warm-up is compared with: the warmed "
                          u"run starts with the changed settings, so the cold-start times compare runs under "
                          u"different settings"_s.arg(change, at);
    } else if (m_phase == Phase::Cached) {
        QStringList workload;
        for (const QString &assignment : applied.toStrings()) {
            if (!assignment.startsWith(u"cache."_s))
                workload << assignment;
        }
        if (!workload.isEmpty()) {
            m_result.notes << u"%1 changed at %2 s during the cached phase: the baseline ran with the earlier "
                              u"workload or database settings, so the comparisons with it (throughput, response "
                              u"time, DB queries) are not like for like; run again with the new value to compare"_s.arg(
                                  workload.join(u"; "_s), at);
        }
    }
}

} // namespace cachescope
