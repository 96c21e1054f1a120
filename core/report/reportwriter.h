#pragma once

#include "core/experiment/runresult.h"

#include <QString>

namespace cachescope {

/// Writes reports of a run. Files are written atomically (QSaveFile): a report either appears
/// complete or leaves the previous file untouched.
namespace ReportWriter {

/// Formats the result as a plain-text summary for a terminal: per phase requests/s, latency
/// percentiles and database statements; the KPIs; each criterion with its verdict.
QString textSummary(const RunResult &result);

/// Writes the report in the format named by the file's extension (.json for now). Returns an
/// empty string on success, or a message naming the file and the problem.
QString write(const RunResult &result, const QString &path);

/// Writes the acceptance criteria as a JUnit XML test suite (one test case per criterion; an
/// unmeasured criterion is reported as skipped), for CI systems. Same error convention as write().
QString writeJUnit(const RunResult &result, const QString &path);

/// The extensions write() understands.
QStringList supportedExtensions();

} // namespace ReportWriter
} // namespace cachescope
