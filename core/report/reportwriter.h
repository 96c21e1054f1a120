#pragma once

#include "core/io/outputfile.h"
#include "core/result/runresult.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

/// Writes reports of a run under OutputFile's rules: atomically (a report appears complete or
/// the previous file stays untouched), to regular files only, never over a file CacheScope did
/// not write as that kind of report nor over one of the run's inputs.
namespace cachescope::ReportWriter {

/// Formats the result as a plain-text summary for a terminal: per phase requests/s, latency
/// percentiles and database statements; the KPIs; each criterion with its verdict.
QString textSummary(const RunResult &result);

/// The report formats, chosen by a file's extension.
enum class Format {
    Json, ///< .json: the full versioned result (everything the others are made from)
    JUnit, ///< .xml: one test case per criterion
    Csv, ///< .csv: the time series, one row per snapshot
    Text, ///< .txt: textSummary()
    Html, ///< .html, .htm: one self-contained file with the charts (needs the GUI library)
    Pdf, ///< .pdf: the HTML report's content, paginated (needs the GUI library)
};
/// The format \a path's extension names, or nullopt.
std::optional<Format> formatOf(const QString &path);
/// What OutputFile calls a file of that format.
OutputKind outputKind(Format format);

/// Makes a report's bytes; an exception-free renderer for the formats core cannot draw itself
/// (HTML and PDF need Qt GUI: the ui library registers them, see registerRenderer()).
using Renderer = std::function<QByteArray(const RunResult &)>;
/// Makes \a format available to write() (the ui library registers HTML and PDF at start-up).
void registerRenderer(Format format, const Renderer &renderer);

/// The report's bytes in \a format; empty when the format has no renderer in this build.
QByteArray render(const RunResult &result, Format format);

/// Writes the report in the format named by the file's extension. Returns an empty string on
/// success, or a message naming the file and the problem.
QString write(const RunResult &result, const QString &path);

/// Why \a path cannot take a report, naming it: an extension without a format (or one this
/// build cannot draw), or OutputFile's rules against \a inputs. Empty when it can.
QString checkPath(const QString &path, const QStringList &inputs);

/// The time series as CSV: a header, then one row per snapshot with the segment it falls in
/// (1-based, in the order of RunResult::segments; 0 when the run had none).
QByteArray csv(const RunResult &result);

/// Writes the acceptance criteria as a JUnit XML test suite (one test case per criterion; an
/// unmeasured criterion is reported as skipped), for CI systems. Same error convention as write().
QString writeJUnit(const RunResult &result, const QString &path);
/// The JUnit XML writeJUnit() writes.
QByteArray junitXml(const RunResult &result);

/// The files the run read (database, trace, warm-up keys file): never written over.
QStringList inputFiles(const Scenario &scenario, const QString &databasePath);

/// True when \a path holds a report in \a format of a run that did not fail: what a failed run
/// does not replace unless asked.
bool holdsSuccessfulReport(const QString &path, Format format);

/// The extensions write() understands in this build.
QStringList supportedExtensions();

} // namespace cachescope::ReportWriter
