// PhaseRunner's warm-up side: planning the warm-up of a cached phase, following it, and the
// hot set it learns from (merged from the workers, saved as a snapshot for the next run).
#include "core/experiment/phaserunner.h"
#include "core/plan/preflight.h"
#include "core/scenario/settings.h"

#include "core/cache/tieredcache.h"
#include "core/experiment/enginethreadhost.h"
#include "core/warmup/warmupexecutor.h"
#include "core/workload/keydistribution.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cachescope {

std::size_t PhaseRunner::trackerCapacity(const Scenario &s, std::int64_t distinctKeys)
{
    // More counters than the workload has keys would never be used (and cost cache misses).
    const std::int64_t wanted
        = std::min(8 * std::max(s.warmup.keys, cacheCapacity(s)), std::max<std::int64_t>(distinctKeys, 1));
    return std::size_t(std::clamp<std::int64_t>(wanted, 1, 262144));
}

std::vector<std::shared_ptr<detail::WarmupJob>> PhaseRunner::planWarmup()
{
    const Scenario &s = m_result.scenario;
    m_pendingWarmups = 0;
    m_warmupEndNs = -1;
    m_warmupCancelled.clear();
    const std::vector<std::int64_t> keys = m_warmupPlanner.keys(s, m_live, m_keySpace.get(), m_result.notes);
    if (keys.empty())
        return {};

    // The hottest keys go into L1 as well (all of them when there is no L2).
    const std::size_t l1Keys = s.cache.l2.capacity > 0
        ? std::size_t(std::min(m_live.cache.l1.capacity, std::int64_t(keys.size())))
        : keys.size();
    const std::vector<WarmupChunk> chunks = makeWarmupChunks(keys, std::size_t(s.warmup.batch), l1Keys);
    // Chunks dealt round-robin over as many workers as warmup.concurrency allows, which share
    // the concurrency between them.
    const int active = std::max(1, std::min(int(m_workers.size()), s.warmup.concurrency));
    m_warmupCounters = std::make_shared<WarmupCounters>();
    m_warmupControl = std::make_shared<BatchControl>();
    std::vector<std::shared_ptr<detail::WarmupJob>> jobs;
    for (int w = 0; w < active; ++w) {
        auto job = std::make_shared<detail::WarmupJob>();
        job->concurrency = s.warmup.concurrency / active + (w < s.warmup.concurrency % active ? 1 : 0);
        job->background = s.warmup.priority == WarmupPriority::Background;
        job->control = m_warmupControl;
        job->counters = m_warmupCounters;
        jobs.push_back(std::move(job));
    }
    for (std::size_t i = 0; i < chunks.size(); ++i)
        jobs[i % jobs.size()]->chunks.push_back(chunks[i]);
    m_pendingWarmups = int(jobs.size());
    m_warmupPlanned = std::int64_t(keys.size());
    WarmupResult result;
    result.strategy = settingText(s, u"warmup.strategy"_s);
    result.source = m_warmupPlanner.source();
    result.keysPlanned = m_warmupPlanned;
    m_result.warmup = result;
    return jobs;
}

WarmupProgress PhaseRunner::readWarmupProgress() const
{
    WarmupProgress p;
    if (!m_warmupCounters)
        return p;
    p.keysDone = m_warmupCounters->keysDone.load();
    p.keysLoaded = m_warmupCounters->keysLoaded.load();
    p.keysTotal = std::uint64_t(m_warmupPlanned);
    const std::int64_t end = m_warmupEndNs >= 0 ? m_warmupEndNs : m_runClock.nsecsElapsed();
    p.elapsedS = double(end - m_phaseStartNs) / 1e9;
    p.finished = m_pendingWarmups == 0;
    return p;
}

void PhaseRunner::onWarmupFinished(int)
{
    if (m_pendingWarmups <= 0 || --m_pendingWarmups > 0)
        return;
    m_warmupEndNs = m_runClock.nsecsElapsed();
    const WarmupProgress p = readWarmupProgress();
    Q_EMIT warmupProgress(p);
    Q_EMIT statusChanged(
        tr("Warm-up %1: %2 of %3 keys loaded in %4 s")
            .arg(p.keysDone < p.keysTotal
                    ? tr("cut short (%1)").arg(m_warmupCancelled.isEmpty() ? tr("phase ended") : m_warmupCancelled)
                    : tr("done"))
            .arg(p.keysLoaded)
            .arg(p.keysTotal)
            .arg(p.elapsedS, 0, 'f', 2));
}

HotKeyTracker PhaseRunner::mergedHotKeys(bool onWorkers)
{
    HotKeyTracker merged(trackerCapacity(m_result.scenario, m_result.keysUsed));
    for (const Worker &w : m_workers) {
        if (onWorkers) {
            // The tracker is its worker's alone: copy it on that thread, between two client steps.
            HotKeyTracker copy(1);
            QMetaObject::invokeMethod(
                w.worker, [&copy, &w] { copy = w.worker->hotKeys(); }, Qt::BlockingQueuedConnection);
            merged.merge(copy);
        } else {
            merged.merge(w.worker->hotKeys());
        }
    }
    return merged;
}

void PhaseRunner::saveHotSetFrom(const HotKeyTracker &hotKeys, bool endOfRun)
{
    if (hotKeys.observed() == 0)
        return;
    const HotSet hotSet = m_warmupPlanner.hotSet(hotKeys, m_result.scenario, m_live);
    if (endOfRun)
        m_result.suggestedWarmupKeys = hotSet.suggestedKeys;
    const QString &path = m_warmupPlanner.snapshotPath();
    try {
        HotSetSnapshot::save(path, hotSet);
        m_result.hotSetSnapshot = path;
        Q_EMIT statusChanged(tr("Hot set saved: %1 keys to %2").arg(hotSet.keys.size()).arg(path));
    } catch (const SnapshotError &error) {
        m_result.notes << error.message();
        Q_EMIT statusChanged(error.message());
    }
}

void PhaseRunner::saveHotSet()
{
    if (!m_running || m_phase == Phase::Baseline || !m_stopPhase || m_stopPhase->load()) {
        Q_EMIT statusChanged(tr("The hot set is saved during a cached phase (and at the end of every run)"));
        return;
    }
    saveHotSetFrom(mergedHotKeys(true), false);
}

} // namespace cachescope
