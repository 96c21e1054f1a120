#pragma once

#include "core/result/runresult.h"

#include <QString>

/// Writes reports of a run under OutputFile's rules: atomically (a report appears complete or
/// the previous file stays untouched), to regular files only, never over a file CacheScope did
/// not write as that kind of report nor over one of the run's inputs.
namespace cachescope::ReportWriter {

/// Formats the result as a plain-text summary for a terminal: per phase requests/s, latency
/// percentiles and database statements; the KPIs; each criterion with its verdict.
QString textSummary(const RunResult &result);

/// Writes the report in the format named by the file's extension (.json for now). Returns an
/// empty string on success, or a message naming the file and the problem.
QString write(const RunResult &result, const QString &path);

/// Writes the acceptance criteria as a JUnit XML test suite (one test case per criterion; an
/// unmeasured criterion is reported as skipped), for CI systems. Same error convention as write().
QString writeJUnit(const RunResult &result, const QString &path);

/// The files the run read (database, trace, warm-up keys file): never written over.
QStringList inputFiles(const Scenario &scenario, const QString &databasePath);

/// True when \a path holds a report of that kind (JSON by extension, else JUnit) of a run that
/// did not fail: what a failed run does not replace unless asked.
bool holdsSuccessfulReport(const QString &path, bool junit);

/// The extensions write() understands.
QStringList supportedExtensions();

} // namespace cachescope::ReportWriter
