#pragma once

#include <QString>

namespace cachescope {

/// Files CacheScope is in the middle of writing. Each is written under a partial name beside its
/// target (".NAME.cachescope-partial-PID"), then renamed over it, so the target is always either
/// the old file or the complete new one. While a partial file exists it is registered here, so
/// that a signal can remove it (removeAllNow() is async-signal-safe), and a later start removes
/// what a killed process left (sweep()).
namespace PartialFiles {
/// The partial name for \a target: hidden, beside it, naming this process.
QString pathFor(const QString &target);
/// Registers \a path (and its SQLite companions -journal, -wal, -shm) for removal on a signal.
/// Returns false when the registry is full; the file is then only removed by its owner or a sweep.
bool add(const QString &path);
/// Forgets \a path (after it was renamed into place or removed).
void remove(const QString &path);
/// Unlinks every registered file. Safe to call from a signal handler.
void removeAllNow() noexcept;
/// Removes, in \a directory, the partial files of processes that no longer run: this version's
/// ".NAME.cachescope-partial-PID" and the earlier ".NAME.partial-PID" and "NAME.saving-PID".
/// Returns how many files it removed.
int sweep(const QString &directory);
} // namespace PartialFiles

/// A partial file's registration for the lifetime of a write: removed from disk and from the
/// registry on destruction unless commit() renamed it into place.
class PartialFile {
public:
    explicit PartialFile(const QString &target);
    ~PartialFile();
    PartialFile(const PartialFile &) = delete;
    PartialFile &operator=(const PartialFile &) = delete;

    const QString &path() const { return m_path; }
    /// Renames the partial file to the target, replacing an existing file only when \a replace
    /// is true; returns an empty string or why it failed.
    QString commit(bool replace = true);

private:
    QString m_target;
    QString m_path;
    bool m_committed = false;
};

} // namespace cachescope
