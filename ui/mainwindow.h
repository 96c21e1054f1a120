#pragma once

#include "core/metrics/kpi.h"
#include "core/metrics/metricssnapshot.h"
#include "core/result/runresult.h"
#include "core/scenario/scenario.h"

#include <QFutureWatcher>
#include <QHash>
#include <QMainWindow>
#include <QPalette>
#include <QTimer>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace cachescope {

class LiveChart;
class RunCharts;
class BackgroundRun;
class HistoryPanel;
class SettingsPanel;
struct HistoryEntry;

/// The workbench window: scenario settings (SettingsPanel) on the left, live charts and KPI tiles
/// on the right, Run/Stop. Owns no data beyond what it shows; the run happens in BackgroundRun's
/// thread. Edits of the live settings during a run become ConfigChanges here.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// With \a database empty, the window uses the demo database and creates it in the
    /// background on first start; otherwise it opens on \a database.
    explicit MainWindow(const QString &database = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Fills the controls from a scenario (the database path included).
    void setScenario(const Scenario &scenario);
    /// The scenario the controls describe.
    Scenario scenario() const;

    /// The run's charts (RunCharts says what each shows).
    const RunCharts &charts() const { return *m_charts; }
    LiveChart *hitRateChart() const;
    LiveChart *throughputChart() const;
    LiveChart *coldStartChart() const;
    /// Latency per 100 ms on a log axis: p50, p99, p99.9 and max, baseline and cached.
    LiveChart *latencyChart() const;
    /// The measured throughput ratio per 100 ms beside the best its hit rate allows, B(h).
    LiveChart *boundChart() const;
    /// Bytes read from the database per second, baseline vs cached.
    LiveChart *bytesChart() const;
    /// The hit rate's sliding window on the hit-rate chart, in seconds (View → Hit-rate window).
    void setHitWindow(double seconds);
    double hitWindow() const;
    /// The banner over the charts that says why a run could not start or failed, or which
    /// criteria it missed; stays until the next run starts.
    QLabel *banner() const { return m_banner; }
    /// One row per segment of the run (a phase, or the stretch after a live change): when it ran,
    /// what changed, and its figures (filled when the run ends).
    QTableWidget *segmentTable() const { return m_segments; }

    /// Loads the scenario file \a path into the controls (on the open database when it names
    /// none); false, with the reason in the banner, when it cannot be read.
    bool openScenarioFile(const QString &path);
    /// Saves the controls' scenario to \a path (never over a file that is not a scenario);
    /// an empty string or why not.
    QString saveScenarioFile(const QString &path);
    /// Writes the last run's result to \a path: JUnit XML for .xml, else the result JSON.
    QString exportResultsTo(const QString &path);

    /// The run history (a tab beside the charts): every run the window finishes is saved there.
    HistoryPanel *historyPanel() const { return m_history; }
    /// Shows a stored run as if it had just finished: its charts from the saved time series, its
    /// markers, tiles and verdict, and a banner saying which run of the history it is.
    void showStoredRun(const cachescope::RunResult &result, const cachescope::HistoryEntry &entry);
    /// Shows the charts (true) or the history (false).
    void showChartsTab(bool charts);

    /// "system" (the desktop's palette), "light" or "dark": the window, its dialogs and charts.
    void applyTheme(const QString &theme);
    /// View → Language: follow the system, or a language of language::available(); the choice
    /// is remembered and takes effect when CacheScope starts again (the texts are made in the
    /// chosen language when the window is built).
    void chooseLanguage(const QString &choice);
    QString theme() const { return m_theme; }
    /// Opens the database \a path (its first usable table, as File → Open does) and remembers it
    /// among the recent ones.
    void openDatabase(const QString &path);
    /// The databases opened lately, newest first (File → Recent databases), at most 8.
    QStringList recentDatabases() const { return m_recent; }
    /// Remembers the window's layout, scenario, recent databases and theme (QSettings; also on
    /// close).
    void saveSettings() const;

public Q_SLOTS:
    void startRun();
    void stopRun();

Q_SIGNALS:
    /// A run ended and its result is shown.
    void runShown(const cachescope::RunResult &result);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildControls();
    QWidget *buildKpiTiles();
    void buildMenus();
    /// The history tab and its wiring (ui/mainwindowhistory.cpp).
    QWidget *buildHistory();
    /// What saveSettings() kept (ui/mainwindowsettings.cpp); the scenario only when \a scenarioToo.
    void restoreSettings(bool scenarioToo);
    void addRecentDatabase(const QString &path);
    void rebuildRecentMenu();
    void showHelp();
    void openScenario();
    void saveScenario();
    void exportResults();
    /// The status bar's progress: the phase, its time and the run's, and about how long is left.
    void showProgress(double phaseTime);
    /// Sizes the window to the screen's available area (any scale factor) and centres it.
    void fitToScreen();
    /// Loads the shipped preset \a name into the controls, on the database already chosen.
    void loadPreset(const QString &name);
    void prepareDemoDatabase();
    void onPhaseStarted(Phase phase, double plannedSeconds);
    void onSnapshot(const MetricsSnapshot &snapshot);
    void onRunFinished(const RunResult &result);
    void setRunning(bool running);
    /// Sends what the live controls changed since the run started (or the last change).
    void sendLiveChange();
    void onChangeApplied(double runTime, const QString &change);
    /// Says \a text in the banner (\a failure: red; otherwise amber); empty hides it.
    void showBanner(const QString &text, bool failure);
    /// Clears the charts and tiles of the last run: when the new run has started (its first
    /// phase), so that a run refused before it starts leaves the last results on screen.
    void clearResults();
    void showKpi(QLabel *tile, const QString &kpi, const std::optional<double> &value, const RunResult *result);
    /// Each tile by its KPI's key: live tiles and final ones are filled by the same KpiDef.
    QLabel *tile(const QString &kpi) const { return m_tiles.value(kpi); }

    BackgroundRun *m_controller = nullptr;
    SettingsPanel *m_settings = nullptr;
    QMenu *m_presetMenu = nullptr;
    QWidget *m_controls = nullptr; // the settings column with Run and Stop
    QAction *m_openDatabaseAction = nullptr;
    QAction *m_openScenarioAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_applyAction = nullptr;
    std::optional<RunResult> m_lastResult; // what Export writes
    QString m_lastResultLabel; // which run that is, in words
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressLabel = nullptr;
    double m_plannedTotal = 0.0; // seconds the run's phases are planned to take
    double m_plannedDone = 0.0; // of which the phases before this one
    double m_phasePlanned = 0.0; // this phase's
    QString m_phaseName;
    bool m_demoReady = false;
    QFutureWatcher<QString> m_demoWatcher;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;

    std::unique_ptr<RunCharts> m_charts; // its charts are the window's children

    HistoryPanel *m_history = nullptr;
    QMenu *m_recentMenu = nullptr;
    QStringList m_recent;
    QString m_theme = QStringLiteral("system");
    std::optional<QPalette> m_systemPalette; // the desktop's, to go back to
    QTableWidget *m_segments = nullptr;
    QTabWidget *m_lastChartTabs = nullptr; // bytes read, or staleness
    /// "baseline", "cached" or "cold" in the user's language (results keep core's phaseName()).
    void buildLanguageMenu(QMenu *view);
    static QString shownPhase(Phase phase);
    void showSegments(const RunResult &result);
    QTabWidget *m_tabs = nullptr; // the charts, the history
    QString m_scenarioLabel; // what the history calls the window's runs: the preset or scenario file
    bool m_replaying = false; // showing a stored run: not saved again

    QHash<QString, QLabel *> m_tiles; // by KPI key
    QLabel *m_phaseLabel = nullptr;
    QLabel *m_banner = nullptr;
    bool m_clearPending = false; // the last run's results stay until the new run's first phase
    bool m_closeConfirmed = false; // the user chose to stop the run and close

    Scenario m_runScenario; // as running, with the changes sent so far
    QTimer *m_changeTimer = nullptr; // debounces edits of live controls
    double m_phaseStartRunTime = 0.0;
    Phase m_currentPhase = Phase::Baseline;
};

} // namespace cachescope
