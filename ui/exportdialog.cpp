#include "ui/exportdialog.h"

#include "core/report/reportwriter.h"
#include "ui/documentreport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cachescope {

ExportDialog::ExportDialog(const RunResult &result, const QString &what, QWidget *parent)
    : ExportDialog(QList<ExportedRun> {{QString(), result}}, what, parent)
{
}

ExportDialog::ExportDialog(const QList<ExportedRun> &runs, const QString &what, QWidget *parent)
    : QDialog(parent)
    , m_runs(runs)
{
    DocumentReport::registerFormats(); // the window's process draws HTML and PDF, whoever made it
    setObjectName(u"exportDialog"_s);
    setWindowTitle(tr("Export Report"));
    auto *layout = new QVBoxLayout(this);
    auto *which = new QLabel(what);
    which->setWordWrap(true);
    layout->addWidget(which);

    auto *form = new QFormLayout;
    auto *row = new QHBoxLayout;
    m_base = new QLineEdit;
    m_base->setObjectName(u"exportBase"_s);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_base->setText(QDir(documents.isEmpty() ? QDir::homePath() : documents).filePath(u"cachescope-report"_s));
    m_base->setToolTip(tr("The folder and name of the files, without an extension: each format adds its own."));
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the report as"), m_base->text());
        if (!path.isEmpty())
            setBaseName(QFileInfo(path).absolutePath() + u'/' + QFileInfo(path).completeBaseName());
    });
    row->addWidget(m_base, 1);
    row->addWidget(browse);
    form->addRow(tr("Files:"), row);

    auto *formats = new QVBoxLayout;
    const QList<std::pair<QString, QString>> kinds {
        {u"html"_s, tr("HTML report: one self-contained page with the charts, to read or print")},
        {u"pdf"_s, tr("PDF report: the same, paginated")},
        {u"json"_s, tr("Result JSON: everything, for `cachescope report` and comparisons")},
        {u"csv"_s, tr("CSV: the time series, one row per 100 ms")},
        {u"xml"_s, tr("JUnit XML: one test case per criterion, for CI")},
        {u"txt"_s, tr("Text: the summary the command line prints")},
    };
    for (const auto &[extension, label] : kinds) {
        auto *box = new QCheckBox(label + u" (."_s + extension + u')');
        box->setObjectName(extension);
        box->setChecked(extension == u"html"_s || extension == u"json"_s);
        m_formats.append(box);
        formats->addWidget(box);
    }
    form->addRow(tr("Formats:"), formats);
    layout->addLayout(form);

    m_problem = new QLabel;
    m_problem->setObjectName(u"exportProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"color: #a50e0e;"_s);
    m_problem->hide();
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    QPushButton *previewButton = buttons->addButton(tr("Preview…"), QDialogButtonBox::ActionRole);
    previewButton->setObjectName(u"exportPreview"_s);
    connect(previewButton, &QPushButton::clicked, this, [this] { preview(); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QString problem = exportAll();
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
        if (problem.isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QStringList ExportDialog::paths() const
{
    QStringList out;
    for (const ExportedRun &run : m_runs) {
        const QString base = m_runs.size() > 1 ? m_base->text() + u'-' + run.name : m_base->text();
        for (const QCheckBox *box : m_formats) {
            if (box->isChecked())
                out << base + u'.' + box->objectName();
        }
    }
    return out;
}

void ExportDialog::setBaseName(const QString &pathWithoutExtension)
{
    m_base->setText(pathWithoutExtension);
}

void ExportDialog::setFormats(const QStringList &extensions)
{
    for (QCheckBox *box : m_formats)
        box->setChecked(extensions.contains(box->objectName()));
}

QString ExportDialog::exportAll()
{
    const QStringList files = paths();
    if (files.isEmpty())
        return tr("Choose at least one format.");
    if (m_base->text().trimmed().isEmpty())
        return tr("Choose where to write the files.");
    // Every file is checked before any is written: a refusal leaves nothing half exported.
    const qsizetype perRun = files.size() / m_runs.size();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const RunResult &result = m_runs.at(i / perRun).result;
        const QStringList inputs = ReportWriter::inputFiles(result.scenario, result.databasePath);
        if (QString problem = ReportWriter::checkPath(files.at(i), inputs); !problem.isEmpty())
            return problem;
    }
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    QString problem;
    for (qsizetype i = 0; i < files.size() && problem.isEmpty(); ++i)
        problem = ReportWriter::write(m_runs.at(i / perRun).result, files.at(i));
    QGuiApplication::restoreOverrideCursor();
    return problem;
}

QDialog *ExportDialog::preview()
{
    auto *window = new QDialog(this);
    window->setObjectName(u"reportPreview"_s);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(tr("Report preview"));
    auto *layout = new QVBoxLayout(window);
    auto *browser = new QTextBrowser;
    browser->setObjectName(u"reportPreviewText"_s);
    browser->setOpenLinks(false);
    browser->setDocument(DocumentReport::document(m_runs.first().result, browser));
    layout->addWidget(browser);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, window, &QDialog::close);
    layout->addWidget(close);
    window->resize(900, 700);
    window->show();
    return window;
}

} // namespace cachescope
