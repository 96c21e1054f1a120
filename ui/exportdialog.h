#pragma once

#include "core/result/runresult.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace cachescope {

/// A run to export, and what its files add to their name when several runs are exported ("run12").
struct ExportedRun {
    QString name;
    RunResult result;
};

/// Export Report…: runs written in the formats chosen, under one name in one folder (with several
/// runs, each run's files add its name: report-run12.html), each atomically and only over
/// CacheScope's own files. From File (the run shown in the window) or from the History tab (the
/// runs selected). Preview shows the (first) run's report as it will print.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(const RunResult &result, const QString &what, QWidget *parent = nullptr);
    ExportDialog(const QList<ExportedRun> &runs, const QString &what, QWidget *parent = nullptr);

    /// The files the chosen formats give (folder/name.ext).
    QStringList paths() const;
    void setBaseName(const QString &pathWithoutExtension);
    /// Checks the formats with these extensions only ("html", "pdf", "json", "csv", "xml", "txt").
    void setFormats(const QStringList &extensions);
    /// Writes every chosen file; an empty string, or what went wrong (naming the file). Nothing is
    /// written when any path is refused beforehand.
    QString exportAll();
    /// Opens the preview window (the report as it prints); returns it.
    QDialog *preview();

private:
    QList<ExportedRun> m_runs;
    QLineEdit *m_base = nullptr;
    QList<QCheckBox *> m_formats; // objectName: the extension
    QLabel *m_problem = nullptr;
};

} // namespace cachescope
