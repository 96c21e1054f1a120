#include "core/plan/warmupplanner.h"

#include "core/io/outputfile.h"
#include "core/plan/preflight.h"
#include "core/warmup/warmupsource.h"
#include "core/workload/keydistribution.h"

#include <QFileInfo>

#include <algorithm>
#include <unordered_set>

using namespace Qt::StringLiterals;

namespace cachescope {

void WarmupPlanner::prepare(const Scenario &s, const DataSourceSpec &spec, QStringList &notes)
{
    *this = WarmupPlanner {};
    m_database = QFileInfo(spec.path).absoluteFilePath();
    m_snapshotPath = snapshotPathFor(s, spec);
    // Checked before the run: it is saved at the end of every run, over what the path holds.
    if (const QString problem = checkSnapshotPath(s, spec); !problem.isEmpty())
        throw ScenarioError(problem);
    if (s.warmup.strategy == WarmupStrategy::KeysFile) {
        const KeysFile file = WarmupSource::readKeysFile(s.warmup.keysFile);
        if (file.badLines > 0) {
            notes << u"warm-up keys file '%1': %2 of %3 lines held no integer key and were left out (%4)"_s
                         .arg(s.warmup.keysFile)
                         .arg(file.badLines)
                         .arg(file.lines)
                         .arg(file.badExamples.join(u"; "_s));
        }
        m_candidates = file.keys;
        m_source = u"keys file %1"_s.arg(s.warmup.keysFile);
    } else if (s.warmup.strategy == WarmupStrategy::Query) {
        m_candidates = WarmupSource::queryKeys(spec, s.warmup.orderBy, std::max(s.warmup.keys, cacheCapacity(s)));
        m_source = u"query ORDER BY %1"_s.arg(s.warmup.orderBy);
    }
    if (s.warmup.strategy == WarmupStrategy::TopN || s.warmup.autoSize) {
        try {
            m_previous = HotSetSnapshot::loadFor(m_snapshotPath, spec.path, spec.table, spec.keyColumn);
        } catch (const SnapshotError &error) {
            // Reported and ignored: the run goes on without it.
            notes << error.message()
                    + (s.warmup.strategy == WarmupStrategy::TopN && s.warmup.compare
                            ? u" — the warm-up uses the hot set of this run's cold phase instead"_s
                            : QString());
        }
    }
}

QString WarmupPlanner::snapshotPathFor(const Scenario &s, const DataSourceSpec &spec)
{
    return s.warmup.snapshot.isEmpty() ? HotSetSnapshot::defaultPath(spec.path, spec.table, spec.keyColumn)
                                       : s.warmup.snapshot;
}

QString WarmupPlanner::checkSnapshotPath(const Scenario &s, const DataSourceSpec &spec)
{
    // The default lives in CacheScope's data folder: when that cannot be written, the run goes
    // on and says it could not save the hot set.
    if (s.warmup.snapshot.isEmpty())
        return {};
    const QString problem = OutputFile::check(
        snapshotPathFor(s, spec), OutputKind::HotSetSnapshot, {spec.path, s.workload.trace, s.warmup.keysFile});
    return problem.isEmpty() ? QString() : u"warmup.snapshot: "_s + problem;
}

std::int64_t WarmupPlanner::suggest(const HotKeyTracker &hotKeys, const Scenario &s, const Scenario &live)
{
    const std::vector<HotKey> hot = hotKeys.top(hotKeys.size());
    const auto covering = std::int64_t(HotKeyTracker::keysCovering(hot, hotKeys.observed(), s.warmup.coverage));
    return std::min(covering, cacheCapacity(live));
}

HotSet WarmupPlanner::hotSet(const HotKeyTracker &hotKeys, const Scenario &s, const Scenario &live) const
{
    HotSet hotSet;
    hotSet.database = m_database;
    hotSet.table = s.db.table;
    hotSet.keyColumn = s.db.key;
    hotSet.savedAt = QDateTime::currentDateTimeUtc();
    hotSet.observed = hotKeys.observed();
    hotSet.keys = hotKeys.top(kSnapshotKeys);
    hotSet.suggestedKeys = suggest(hotKeys, s, live);
    hotSet.coverage = s.warmup.coverage;
    return hotSet;
}

std::vector<std::int64_t> WarmupPlanner::keys(
    const Scenario &s, const Scenario &live, const KeySpace *workload, QStringList &notes)
{
    if (!s.warmsUp())
        return {};
    // How many keys: warmup.keys, or (warmup.auto) what the last run suggested.
    std::int64_t n = s.warmup.keys;
    if (s.warmup.autoSize) {
        if (m_previous && m_previous->suggestedKeys > 0) {
            n = m_previous->suggestedKeys;
            notes << u"warmup.auto: %1 keys, suggested by the run of %2 (they covered %3 % of its reads)"_s.arg(n)
                         .arg(m_previous->savedAt.toString(Qt::ISODate))
                         .arg(m_previous->coverage * 100, 0, 'f', 0);
        } else if (m_coldHotKeys && m_coldHotKeys->observed() > 0) {
            n = std::max<std::int64_t>(1, suggest(*m_coldHotKeys, s, live));
            notes << u"warmup.auto: %1 keys, from this run's cold phase (no earlier suggestion)"_s.arg(n);
        } else {
            notes << u"warmup.auto: no earlier run to learn from; warmup.keys (%1) used"_s.arg(n);
        }
    }
    const std::int64_t capacity = cacheCapacity(live);
    if (n > capacity) {
        notes << u"warm-up of %1 keys cut to the %2 the cache can hold"_s.arg(n).arg(capacity);
        n = capacity;
    }

    std::vector<std::int64_t> keys;
    if (s.warmup.strategy == WarmupStrategy::TopN) {
        std::vector<HotKey> hot;
        if (m_previous) {
            hot = m_previous->keys;
            m_source = u"top %1 of the hot-set snapshot %2 (saved %3)"_s.arg(n).arg(
                m_snapshotPath, m_previous->savedAt.toString(Qt::ISODate));
        } else if (m_coldHotKeys) {
            hot = m_coldHotKeys->top(std::size_t(n));
            m_source = u"top %1 of the hot set this run's cold phase saw"_s.arg(n);
        } else {
            notes << u"warmup.strategy top-n: no hot set to warm up from; the cached phase starts cold"_s;
            return {};
        }
        for (std::size_t i = 0; i < hot.size() && std::int64_t(i) < n; ++i)
            keys.push_back(hot[i].key);
    } else {
        keys.assign(m_candidates.begin(),
            m_candidates.begin() + std::ptrdiff_t(std::min<std::size_t>(m_candidates.size(), std::size_t(n))));
    }
    if (workload && !keys.empty() && s.warmup.strategy != WarmupStrategy::TopN
        && s.workload.distribution != Distribution::Trace) {
        // A keys file or query may name keys the workload never reads: worth knowing.
        std::unordered_set<std::int64_t> read;
        read.reserve(workload->size());
        for (std::size_t rank = 0; rank < workload->size(); ++rank)
            read.insert(workload->keyAtRank(rank));
        const auto outside = std::count_if(keys.begin(), keys.end(), [&](std::int64_t k) { return !read.contains(k); });
        if (outside > 0) {
            notes << u"%1 of the %2 warm-up keys (%3) are not among the keys the workload reads"_s.arg(outside)
                         .arg(keys.size())
                         .arg(m_source);
        }
    }
    return keys;
}

} // namespace cachescope
