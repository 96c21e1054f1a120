#include "ui/historypanel.h"

#include "ui/comparisondialog.h"
#include "ui/exportdialog.h"
#include "ui/historymodel.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// What a background task hands back: a value, or why there is none.
template<typename T> struct Outcome {
    T value {};
    QString error;
};

// Runs \a work on the thread pool and \a done on \a context's thread with its outcome.
template<typename T, typename Work, typename Done> void inBackground(QObject *context, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<Outcome<T>>(context);
    QObject::connect(watcher, &QFutureWatcher<Outcome<T>>::finished, context, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([work]() -> Outcome<T> {
        try {
            return {work(), QString()};
        } catch (const HistoryError &e) {
            return {T {}, e.message()};
        } catch (const ResultFormatError &e) {
            return {T {}, e.message()};
        }
    }));
}
} // namespace

HistoryPanel::HistoryPanel(const QString &historyPath, QWidget *parent)
    : QWidget(parent)
    , m_path(historyPath)
    , m_model(new HistoryModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(u"historyPanel"_s);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit;
    m_filter->setObjectName(u"historyFilter"_s);
    m_filter->setPlaceholderText(tr("Filter: any text of a run (verdict, label, a setting such as l1.capacity)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTableView;
    m_view->setObjectName(u"historyTable"_s);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(HistoryModel::Id, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_view->setToolTip(tr("Double-click a label to rename the run; select 2 to 5 runs to compare them"));
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.column() != HistoryModel::Label)
            openSelected();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateButtons);
    connect(m_model, &HistoryModel::labelEdited, this, [this](qint64 id, const QString &label) {
        const QString path = m_path;
        inBackground<bool>(
            this, [path, id, label] { return HistoryStore(path).relabel(id, label); },
            [this](const Outcome<bool> &o) {
                if (!o.error.isEmpty())
                    showProblem(o.error);
            });
    });

    auto button = [this](const QString &name, const QString &text, void (HistoryPanel::*slot)()) {
        auto *b = new QPushButton(text);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    m_open = button(u"historyOpen"_s, tr("Open"), &HistoryPanel::openSelected);
    m_open->setToolTip(tr("Show the run's charts and figures again"));
    m_loadScenario = button(u"historyLoadScenario"_s, tr("Load its scenario"), &HistoryPanel::loadSelectedScenario);
    m_loadScenario->setToolTip(tr("Put the run's settings into the controls, to run it again or tune from it"));
    m_compare = button(u"historyCompare"_s, tr("Compare"), &HistoryPanel::compareSelected);
    m_compare->setToolTip(tr("Compare 2 to 5 selected runs against the oldest of them"));
    m_export = button(u"historyExport"_s, tr("Export…"), &HistoryPanel::exportSelected);
    m_export->setToolTip(tr("Write the selected runs' reports: HTML, PDF, JSON, CSV, JUnit, text"));
    m_delete = button(u"historyDelete"_s, tr("Delete…"), &HistoryPanel::deleteSelected);
    auto *refreshButton = button(u"historyRefresh"_s, tr("Refresh"), &HistoryPanel::refresh);
    refreshButton->setToolTip(tr("Read the history again (runs from the command line appear)"));

    m_status = new QLabel;
    m_status->setObjectName(u"historyStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_loadScenario);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_export);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    updateButtons();
}

QList<qint64> HistoryPanel::selectedIds() const
{
    QList<qint64> ids;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : rows)
        ids.append(m_model->entryAt(m_proxy->mapToSource(index).row()).id);
    return ids;
}

void HistoryPanel::select(const QList<qint64> &ids)
{
    QItemSelection selection;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void HistoryPanel::updateButtons()
{
    const qsizetype n = m_view->selectionModel()->selectedRows().size();
    m_open->setEnabled(n == 1);
    m_loadScenario->setEnabled(n == 1);
    m_compare->setEnabled(n >= 2 && n <= 5);
    m_compare->setToolTip(
        n > 5 ? tr("Compare at most 5 runs at once") : tr("Compare 2 to 5 selected runs against the oldest of them"));
    m_export->setEnabled(n >= 1);
    m_delete->setEnabled(n >= 1);
}

void HistoryPanel::showProblem(const QString &message)
{
    m_status->setText(message);
    m_status->setStyleSheet(u"QLabel { color: #8c1d18; }"_s);
    Q_EMIT problem(message);
}

void HistoryPanel::refresh()
{
    const QString path = m_path;
    inBackground<QList<HistoryEntry>>(
        this, [path] { return HistoryStore(path).list(); },
        [this](const Outcome<QList<HistoryEntry>> &o) {
            if (!o.error.isEmpty()) {
                showProblem(o.error);
                return;
            }
            const QList<qint64> keep = selectedIds();
            m_model->setEntries(o.value);
            select(keep);
            // Compact columns; the settings changed at most 280 px (all of them in the tooltip).
            m_view->resizeColumnsToContents();
            m_view->setColumnWidth(HistoryModel::Settings, std::min(m_view->columnWidth(HistoryModel::Settings), 280));
            m_status->setStyleSheet(QString());
            m_status->setText(o.value.isEmpty()
                    ? tr("No runs saved yet in %1.").arg(m_path)
                    : (o.value.size() == 1 ? tr("1 run in %1.").arg(m_path)
                                           : tr("%1 runs in %2.").arg(o.value.size()).arg(m_path)));
            updateButtons();
            Q_EMIT refreshed();
        });
}

void HistoryPanel::save(const RunResult &result, const QString &label)
{
    const QString path = m_path;
    inBackground<qint64>(
        this, [path, result, label] { return HistoryStore(path).add(result, u"gui"_s, label); },
        [this](const Outcome<qint64> &o) {
            if (!o.error.isEmpty()) {
                showProblem(o.error);
                return;
            }
            Q_EMIT saved(o.value);
            refresh();
        });
}

void HistoryPanel::loadRuns(const QList<qint64> &ids, const std::function<void(const QList<ComparedRun> &)> &then)
{
    QHash<qint64, QString> labels;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        labels.insert(id,
            u"#%1"_s.arg(id)
                + (row >= 0 && !m_model->entryAt(row).label.isEmpty() ? u' ' + m_model->entryAt(row).label
                                                                      : QString()));
    }
    const QString path = m_path;
    inBackground<QList<ComparedRun>>(
        this,
        [path, ids, labels] {
            const HistoryStore store(path);
            QList<ComparedRun> runs;
            for (const qint64 id : ids)
                runs.append({labels.value(id), store.result(id)});
            return runs;
        },
        [this, then](const Outcome<QList<ComparedRun>> &o) {
            if (!o.error.isEmpty())
                showProblem(o.error);
            else
                then(o.value);
        });
}

void HistoryPanel::openSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1)
        return;
    const HistoryEntry entry = m_model->entryAt(m_model->rowOf(ids.first()));
    loadRuns(ids, [this, entry](const QList<ComparedRun> &runs) { Q_EMIT runOpened(runs.first().result, entry); });
}

void HistoryPanel::loadSelectedScenario()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1)
        return;
    loadRuns(ids, [this](const QList<ComparedRun> &runs) { Q_EMIT scenarioRequested(runs.first().result.scenario); });
}

void HistoryPanel::compareSelected()
{
    QList<qint64> ids = selectedIds();
    if (ids.size() < 2 || ids.size() > 5)
        return;
    std::sort(ids.begin(), ids.end()); // the oldest is the reference: "before" comes first
    loadRuns(ids, [this](const QList<ComparedRun> &runs) {
        auto *dialog = new ComparisonDialog(runs, window());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        Q_EMIT comparisonShown(dialog);
    });
}

void HistoryPanel::exportSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    loadRuns(ids, [this, ids](const QList<ComparedRun> &runs) {
        QList<ExportedRun> exported;
        for (qsizetype i = 0; i < runs.size(); ++i)
            exported.append({u"run%1"_s.arg(ids.value(i)), runs.at(i).result});
        QStringList names;
        for (const ComparedRun &run : runs)
            names << run.label;
        auto *dialog = new ExportDialog(exported,
            runs.size() == 1 ? tr("Run %1 from the history.").arg(names.first())
                             : tr("Runs from the history: %1. Each run's files add its number to the name.")
                                   .arg(names.join(u", "_s)),
            window());
        dialog->setObjectName(u"historyExportDialog"_s);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

void HistoryPanel::deleteSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || findChild<QMessageBox *>(u"deleteQuestion"_s))
        return;
    QStringList names;
    for (const qint64 id : ids)
        names << u"#%1"_s.arg(id);
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Delete runs?"),
        tr("Delete %1 from the history? This cannot be undone.").arg(names.join(u", "_s)), QMessageBox::NoButton, this);
    ask->setObjectName(u"deleteQuestion"_s);
    QPushButton *yes = ask->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    yes->setObjectName(u"confirmDelete"_s);
    ask->addButton(tr("Keep them"), QMessageBox::RejectRole)->setObjectName(u"keepRuns"_s);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QMessageBox::buttonClicked, this, [this, yes, ids](QAbstractButton *button) {
        if (button != yes)
            return;
        const QString path = m_path;
        inBackground<int>(
            this,
            [path, ids] {
                HistoryStore store(path);
                int removed = 0;
                for (const qint64 id : ids)
                    removed += store.remove(id) ? 1 : 0;
                return removed;
            },
            [this](const Outcome<int> &o) {
                if (!o.error.isEmpty())
                    showProblem(o.error);
                refresh();
            });
    });
    ask->open();
}

} // namespace cachescope
