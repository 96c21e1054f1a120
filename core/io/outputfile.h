#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace cachescope {

/// What CacheScope writes. Each kind knows its own files, so that nothing else is replaced.
enum class OutputKind {
    JsonReport, ///< a run's result JSON (format_version, scenario, phases)
    JUnitReport, ///< the acceptance criteria as JUnit XML (testsuite "cachescope acceptance")
    HotSetSnapshot, ///< a hot-set snapshot (SQLite, application_id 'CSHS')
    ScenarioFile, ///< a scenario JSON (only the groups a scenario has: db, workload, cache, …)
    CsvReport, ///< a run's time series as CSV (its header line is CacheScope's)
    HtmlReport, ///< an HTML report (<meta name="generator" content="CacheScope …">)
    PdfReport, ///< a PDF report (its producer or creator is CacheScope)
    TextReport, ///< a plain-text summary (its first line starts "CacheScope run on " or "CacheScope comparison")
    ComparisonReport, ///< a comparison as JSON (runs, rows, noise_floor)
};

/// The rules every file CacheScope writes follows: it goes to a regular file in a writable
/// directory; an existing file is replaced only when it is empty, CacheScope wrote it as the
/// same kind, or it lies in CacheScope's data folder (where a damaged hot set is replaced), and never when it is one of
/// the run's inputs (its database and the database's journal files, scenario, trace or keys file); it is written
/// atomically through a registered partial file (PartialFiles), so a failure or a signal leaves the old file as it was.
namespace OutputFile {
/// The kind in words, for messages ("report", "JUnit report", "hot-set snapshot").
QString describe(OutputKind kind);
/// An empty string when \a path may be written as \a kind; otherwise why not, naming the path.
QString check(const QString &path, OutputKind kind, const QStringList &inputs = {});
/// True when \a path is a regular file that CacheScope wrote as \a kind.
bool holdsOwnFile(const QString &path, OutputKind kind);
/// check(), then writes \a bytes to a partial file, syncs it and renames it over \a path
/// (keeping an existing file's permissions). Returns an empty string or why it failed; on
/// failure nothing is left behind and an existing file is untouched.
QString write(const QString &path, OutputKind kind, const QByteArray &bytes, const QStringList &inputs = {});
} // namespace OutputFile

} // namespace cachescope
