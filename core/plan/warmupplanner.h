#pragma once

#include "core/scenario/scenario.h"
#include "core/warmup/hotsetsnapshot.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace cachescope {

class KeySpace;

/// What a run's warm-up loads and what it leaves for the next run: the keys of a keys file or a
/// query (read before the run), the last hot-set snapshot, the hot set the cold comparison phase
/// saw, the size warmup.auto takes, and the snapshot to save. Decisions only: the runner deals
/// the keys to its workers and times them.
class WarmupPlanner {
public:
    /// Reads the keys file or runs the query, and the last snapshot when top-n or warmup.auto
    /// needs it. What the user should know goes to \a notes (an unusable snapshot among it).
    /// Throws WarmupError or DbError for a source that cannot be used.
    void prepare(const Scenario &scenario, const DataSourceSpec &spec, QStringList &notes);
    /// The hot set the cold comparison phase saw (top-n's fallback, warmup.auto's second choice).
    void setColdHotKeys(HotKeyTracker hotKeys) { m_coldHotKeys = std::move(hotKeys); }

    /// The keys of the warmed phase's warm-up, hottest first (empty = none), within warmup.keys
    /// (or warmup.auto's size) and what the cache described by \a live can hold. \a workload,
    /// when given, is checked: keys it never reads are pointed out in \a notes.
    std::vector<std::int64_t> keys(
        const Scenario &scenario, const Scenario &live, const KeySpace *workload, QStringList &notes);
    /// Where keys() took them from, in words.
    const QString &source() const { return m_source; }

    /// The fewest hottest keys that covered warmup.coverage of the reads, within the capacity of
    /// the cache described by \a live.
    static std::int64_t suggest(const HotKeyTracker &hotKeys, const Scenario &scenario, const Scenario &live);
    /// The snapshot of \a hotKeys for the run's table, with the suggestion.
    HotSet hotSet(const HotKeyTracker &hotKeys, const Scenario &scenario, const Scenario &live) const;
    /// The snapshot file read and written.
    const QString &snapshotPath() const { return m_snapshotPath; }
    /// The snapshot file a run of \a scenario on \a spec reads and writes: warmup.snapshot, or
    /// the default for the database, table and key column.
    static QString snapshotPathFor(const Scenario &scenario, const DataSourceSpec &spec);
    /// Empty when the run may write its snapshot; otherwise why not, for warmup.snapshot (a file
    /// that is no snapshot, the database itself, a device...). prepare() throws it as a ScenarioError.
    static QString checkSnapshotPath(const Scenario &scenario, const DataSourceSpec &spec);

    /// Most keys a snapshot keeps.
    static constexpr std::size_t kSnapshotKeys = 100000;

private:
    std::vector<std::int64_t> m_candidates; // keys-file / query keys, hottest first
    QString m_source;
    std::optional<HotSet> m_previous; // the snapshot read by prepare()
    std::optional<HotKeyTracker> m_coldHotKeys;
    QString m_snapshotPath;
    QString m_database; // absolute path
};

} // namespace cachescope
