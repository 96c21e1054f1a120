#pragma once

#include "core/result/runresult.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace cachescope {

/// File → Export Report…: the run shown in the window (a finished run, or one opened from the
/// history) written in the formats chosen, side by side under one name in one folder, each
/// atomically and only over CacheScope's own files; Preview shows the report as it will print.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(const RunResult &result, const QString &what, QWidget *parent = nullptr);

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
    RunResult m_result;
    QLineEdit *m_base = nullptr;
    QList<QCheckBox *> m_formats; // objectName: the extension
    QLabel *m_problem = nullptr;
};

} // namespace cachescope
