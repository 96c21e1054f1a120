// MainWindow's history: the tab, saving each finished run, and showing a stored run again.
#include "ui/backgroundrun.h"
#include "ui/historypanel.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"
#include "ui/runcharts.h"

#include <QLabel>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace cachescope {

QWidget *MainWindow::buildHistory()
{
    m_history = new HistoryPanel(HistoryStore::defaultPath());
    connect(m_history, &HistoryPanel::saved, this,
        [this](qint64 id) { statusBar()->showMessage(tr("Saved as run %1 in the history").arg(id), 8000); });
    connect(m_history, &HistoryPanel::problem, this,
        [this](const QString &message) { statusBar()->showMessage(tr("History: %1").arg(message)); });
    connect(m_history, &HistoryPanel::runOpened, this, &MainWindow::showStoredRun);
    connect(m_history, &HistoryPanel::scenarioRequested, this, [this](const Scenario &s) {
        if (m_controller->isRunning()) {
            statusBar()->showMessage(tr("A run is in progress: stop it before loading another scenario"), 8000);
            return;
        }
        setScenario(s);
        statusBar()->showMessage(tr("The run's scenario is in the controls"), 8000);
    });
    m_history->refresh();
    // Scrolls rather than hold the splitter's right side to the width of its row of buttons.
    auto *scroll = new QScrollArea;
    scroll->setObjectName(u"historyScroll"_s);
    scroll->setWidget(m_history);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

void MainWindow::showChartsTab(bool charts)
{
    m_tabs->setCurrentIndex(charts ? 0 : 1);
}

void MainWindow::showStoredRun(const RunResult &result, const HistoryEntry &entry)
{
    if (m_controller->isRunning()) {
        statusBar()->showMessage(tr("A run is in progress: stop it before opening another"), 8000);
        return;
    }
    // The stored run goes through the same paths a live one does: phases, snapshots, markers, end.
    m_runScenario = result.scenario;
    m_clearPending = true;
    m_replaying = true;
    showBanner({}, false);
    RunCharts::replay(result,
        {[this](Phase phase, double planned) { onPhaseStarted(phase, planned); },
            [this](const MetricsSnapshot &s) { onSnapshot(s); },
            [this](double runTime, const QString &change) { onChangeApplied(runTime, change); }});
    if (m_clearPending)
        clearResults(); // a run without a time series: its tiles still show
    onRunFinished(result);
    m_replaying = false;
    m_lastResultLabel = tr("run #%1%2 from the history")
                            .arg(entry.id)
                            .arg(entry.label.isEmpty() ? QString() : u" “"_s + entry.label + u"”"_s);
    const QString which
        = tr("Run #%1%2 from the history, finished %3 (%4).")
              .arg(entry.id)
              .arg(entry.label.isEmpty() ? QString() : u" “"_s + entry.label + u"”"_s)
              .arg(entry.finishedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s))
              .arg(entry.source == u"gui"_s ? tr("run in the window") : tr("run from the command line"));
    const bool failure = !result.error.isEmpty();
    showBanner(banner()->isVisible() ? which + u' ' + banner()->text() : which, failure);
    showChartsTab(true);
}

} // namespace cachescope
