#pragma once

#include "core/result/runresult.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <stdexcept>

namespace cachescope {

/// A history file that cannot be used (not CacheScope's, from a newer version, unreadable), or
/// a run that is not in it.
class HistoryError : public std::runtime_error {
public:
    explicit HistoryError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// One run as the history lists it: what a list, a filter or a sort needs without reading the
/// whole result.
struct HistoryEntry {
    qint64 id = 0; ///< the run's number in this history, never reused
    QDateTime finishedAt; ///< when it was saved (UTC)
    QString source; ///< "gui" or "cli"
    QString label; ///< what the run was called: the scenario file or preset, or what the user typed
    QString database; ///< the database it ran on
    QString verdict; ///< "pass", "fail", "inconclusive", "stopped" or "error"
    double durationS = 0.0; ///< both phases, as measured
    QStringList settings; ///< "key=value" of every setting that differs from the default scenario
    QHash<QString, double> kpis; ///< the measured KPIs (kpiTable() keys); one not measured is absent
    int criteriaPassed = 0; ///< criteria met
    int criteriaFailed = 0; ///< criteria not met
    int criteriaUnmeasured = 0; ///< criteria that could not be judged
};

/// The run history: every finished or stopped run, from the GUI or the command line, in one SQLite
/// file (by default `history.sqlite` in the user's data directory; CACHESCOPE_HISTORY names
/// another). Each run is saved in one transaction, so a crash loses at most the run being saved,
/// and WAL lets a GUI read while a headless run writes. The file carries CacheScope's
/// application_id; a file that is not CacheScope's history is refused, never changed.
///
/// One instance belongs to one thread at a time (it owns a SQLite connection); open one per thread.
class HistoryStore {
public:
    /// Opens (creating it and its folder when missing) the history at \a path; throws HistoryError
    /// naming the file and the reason.
    explicit HistoryStore(const QString &path);
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    /// CACHESCOPE_HISTORY when set, else history.sqlite in the user's data directory.
    static QString defaultPath();
    /// The verdict a history records for \a result.
    static QString verdictOf(const RunResult &result);

    QString path() const;
    /// Saves \a result (from \a source: "gui" or "cli", called \a label); returns its id. Throws
    /// HistoryError.
    qint64 add(const RunResult &result, const QString &source, const QString &label,
        const QDateTime &finishedAt = QDateTime::currentDateTimeUtc());
    /// Renames the run \a id; false when there is none.
    bool relabel(qint64 id, const QString &label);
    /// Every run, newest first.
    QList<HistoryEntry> list() const;
    /// The run \a id's entry; nullopt when there is none.
    std::optional<HistoryEntry> entry(qint64 id) const;
    /// The run \a id's result JSON as it was saved; throws HistoryError when there is no such run.
    QJsonObject resultJson(qint64 id) const;
    /// The run \a id, read back (RunResult::fromJson); throws HistoryError or ResultFormatError.
    RunResult result(qint64 id) const;
    /// Deletes the run \a id; false when there was none.
    bool remove(qint64 id);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cachescope
