#pragma once

#include "core/result/runresult.h"

#include <QByteArray>

class QObject;
class QTextDocument;

/// The reports a person reads: one self-contained HTML file (charts inlined as SVG, drawn by the
/// window's own chart code, nothing loaded from the network) and the same content as a paginated
/// PDF with extractable text. Both are made from a RunResult alone, so `cachescope report` makes
/// them again from a saved result JSON; the same result gives byte-identical HTML.
///
/// Needs a QApplication (the charts are Qt Charts widgets; no window is shown).
namespace cachescope::DocumentReport {

/// The HTML report (UTF-8, well-formed XHTML).
QByteArray html(const RunResult &result);
/// The PDF report (A4).
QByteArray pdf(const RunResult &result);
/// The report as a QTextDocument (charts as image resources): what the PDF prints and the
/// window's preview shows. Owned by the caller.
QTextDocument *document(const RunResult &result, QObject *parent = nullptr);
/// Makes both formats available to ReportWriter::write() (.html, .htm, .pdf).
void registerFormats();

} // namespace cachescope::DocumentReport
