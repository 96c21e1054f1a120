#pragma once

#include "core/warmup/hotkeytracker.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <stdexcept>
#include <vector>

namespace cachescope {

/// The hottest keys of a table as one run saw them, kept for the next run's warm-up.
struct HotSet {
    QString database; ///< absolute path of the database the keys belong to
    QString table; ///< their table
    QString keyColumn; ///< their key column
    QDateTime savedAt; ///< when the run saved it (UTC)
    std::uint64_t observed = 0; ///< accesses the counts are out of (after aging)
    std::vector<HotKey> keys; ///< hottest first
    std::int64_t suggestedKeys = 0; ///< warm-up size the run suggested (0 = none)
    double coverage = 0.0; ///< share of reads the suggestion was to cover

    bool operator==(const HotSet &) const = default;
};

/// A snapshot that cannot be used (missing, corrupt, truncated, of another table): the message
/// names the file and the problem; callers report it and go on without.
class SnapshotError : public std::runtime_error {
public:
    explicit SnapshotError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// Hot-set snapshots: small SQLite files (application_id 'CSHS', user_version 1) with a meta
/// table and the ranked keys.
namespace HotSetSnapshot {
/// Where the snapshot of \a table in \a database lives by default: the user's data directory,
/// one file per database, table and key column.
QString defaultPath(const QString &database, const QString &table, const QString &keyColumn);
/// Writes \a hotSet atomically: a temporary file in the same directory, synced, then renamed
/// over \a path, so a crash or error at any point leaves the previous snapshot as it was.
/// \a beforeReplace runs once the new file is complete (tests interrupt the save there).
/// Throws SnapshotError.
void save(const QString &path, const HotSet &hotSet, const std::function<void()> &beforeReplace = {});
/// Reads the snapshot at \a path; throws SnapshotError when it is missing, not a CacheScope
/// snapshot, of another version, corrupt or truncated. Never modifies the file.
HotSet load(const QString &path);
/// As load(), and also checks that the snapshot belongs to \a database / \a table / \a keyColumn.
HotSet loadFor(const QString &path, const QString &database, const QString &table, const QString &keyColumn);
} // namespace HotSetSnapshot

} // namespace cachescope
