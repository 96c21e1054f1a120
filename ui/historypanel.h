#pragma once

#include "core/report/comparison.h"
#include "core/report/historystore.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cachescope {

class ComparisonDialog;
class HistoryModel;

/// The run history in the window: every run saved (from the window and from `cachescope run`),
/// sortable and filtered by any text it shows; open a run (its charts and tiles again), load its
/// scenario, compare 2–5, rename, delete. Every read and write of the history file runs off the
/// GUI thread, each on its own connection.
class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(const QString &historyPath, QWidget *parent = nullptr);

    QString historyPath() const { return m_path; }
    HistoryModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    /// The selected runs' ids, in the order shown.
    QList<qint64> selectedIds() const;
    /// Selects the runs \a ids (as the user would), clearing the selection first.
    void select(const QList<qint64> &ids);

public Q_SLOTS:
    /// Reads the list again (in the background); refreshed() when it is shown.
    void refresh();
    /// Saves \a result as run of the window, called \a label (in the background); saved() with its id.
    void save(const cachescope::RunResult &result, const QString &label);
    void openSelected();
    void loadSelectedScenario();
    void compareSelected();
    /// Export Report… for the selected runs (each run's files named after it).
    void exportSelected();
    /// Asks, then deletes the selected runs.
    void deleteSelected();

Q_SIGNALS:
    void refreshed();
    void saved(qint64 id);
    /// Something about the history went wrong: the message names the file and why.
    void problem(const QString &message);
    /// A stored run, read back, to be shown.
    void runOpened(const cachescope::RunResult &result, const cachescope::HistoryEntry &entry);
    /// A stored run's scenario, to load into the controls.
    void scenarioRequested(const cachescope::Scenario &scenario);
    void comparisonShown(cachescope::ComparisonDialog *dialog);

private:
    void updateButtons();
    void showProblem(const QString &message);
    /// Reads the runs \a ids in the background, then calls \a then with them (or shows the problem).
    void loadRuns(const QList<qint64> &ids, const std::function<void(const QList<ComparedRun> &)> &then);

    QString m_path;
    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_loadScenario = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_delete = nullptr;
};

} // namespace cachescope
