#include "ui/mainwindow.h"

#include "core/db/demodatabase.h"
#include "core/experiment/phaserunner.h"
#include "ui/backgroundrun.h"
#include "ui/coretext.h"
#include "ui/historypanel.h"
#include "ui/livechart.h"
#include "ui/runcharts.h"
#include "ui/settingspanel.h"
#include "ui/tiptext.h"

#include <QCloseEvent>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

#include <chrono>
#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
constexpr auto kPassColor = "#1e7b34";
constexpr auto kFailColor = "#b3261e";
constexpr auto kNeutralColor = "#44474e";

// The KPIs the tiles show while a run goes on (from the snapshots); the others need the whole
// phase (percentiles, the projection's and warm-up's comparisons) and come at its end.
bool isLiveKpi(const QString &kpi)
{
    return kpi == u"hit_rate"_s || kpi == u"throughput_ratio"_s || kpi == u"db_query_reduction"_s;
}
} // namespace

MainWindow::MainWindow(const QString &database, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new BackgroundRun(this))
{
    setWindowTitle(u"CacheScope"_s);
    setWindowIcon(QIcon(u":/cachescope/icons/cachescope.svg"_s));
    auto *splitter = new QSplitter;
    splitter->addWidget(buildControls());

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    m_banner = new QLabel;
    m_banner->setObjectName(u"runBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(buildKpiTiles());
    m_charts = std::make_unique<RunCharts>(right);
    // Two by two: what the cache does (hit rate, latency) over what it buys (throughput, cold start).
    auto *grid = new QGridLayout;
    grid->addWidget(m_charts->hitRate(), 0, 0);
    grid->addWidget(m_charts->latency(), 0, 1);
    grid->addWidget(m_charts->throughput(), 1, 0);
    grid->addWidget(m_charts->coldStart(), 1, 1);
    grid->addWidget(m_charts->bound(), 2, 0);
    // Bytes and staleness share a place: a run that writes, or reads replicas, shows the latter.
    m_lastChartTabs = new QTabWidget;
    m_lastChartTabs->setObjectName(u"lastChartTabs"_s);
    m_lastChartTabs->setDocumentMode(true);
    m_lastChartTabs->addTab(m_charts->bytes(), tr("Bytes read"));
    m_lastChartTabs->addTab(m_charts->staleness(), tr("Staleness"));
    m_lastChartTabs->addTab(m_charts->l2(), tr("Redis L2"));
    grid->addWidget(m_lastChartTabs, 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    rightLayout->addLayout(grid, 1);
    m_segments = new QTableWidget(0, 9);
    m_segments->setObjectName(u"segmentTable"_s);
    m_segments->setHorizontalHeaderLabels({tr("Phase"), tr("From (s)"), tr("To (s)"), tr("Change"), tr("Requests/s"),
        tr("Hit rate"), tr("p50 (µs)"), tr("p99 (µs)"), tr("DB stmts/request")});
    m_segments->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_segments->verticalHeader()->hide();
    m_segments->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_segments->setMinimumHeight(120);
    m_segments->setMaximumHeight(200);
    m_segments->setToolTip(tipText(tr("Each phase, and each stretch after a live change, with its own figures: a "
                                      "change never mixes into the figures before it. The KPIs compare the last "
                                      "segment of each phase.")));
    rightLayout->addWidget(m_segments);
    // The charts' side scrolls rather than push the window past a small screen (1280×800 at
    // QT_SCALE_FACTOR=1.5 leaves ~850×500).
    auto *rightScroll = new QScrollArea;
    rightScroll->setObjectName(u"chartsScroll"_s);
    rightScroll->setWidget(right);
    rightScroll->setWidgetResizable(true);
    rightScroll->setFrameShape(QFrame::NoFrame);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"mainTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(rightScroll, tr("Run"));
    m_tabs->addTab(buildHistory(), tr("History"));
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setObjectName(u"mainSplitter"_s);
    setCentralWidget(splitter);

    connect(m_controller, &BackgroundRun::statusChanged, this,
        [this](const QString &message) { statusBar()->showMessage(message); });
    connect(m_controller, &BackgroundRun::phaseStarted, this, &MainWindow::onPhaseStarted);
    connect(m_controller, &BackgroundRun::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_controller, &BackgroundRun::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &BackgroundRun::warmupProgress, this, [this](const WarmupProgress &p) {
        m_phaseLabel->setText(tr("Cached phase, warmed up: %1 of %2 keys loaded (%3 done) in %4 s%5")
                                  .arg(p.keysLoaded)
                                  .arg(p.keysTotal)
                                  .arg(p.keysDone)
                                  .arg(p.elapsedS, 0, 'f', 1)
                                  .arg(p.finished ? tr(" — warm-up over") : u"…"_s));
    });
    // Live controls: while a run goes on, an edit becomes a ConfigChange (after a short pause, so
    // typing 20000 sends one change, not five).
    m_changeTimer = new QTimer(this);
    m_changeTimer->setSingleShot(true);
    m_changeTimer->setInterval(400);
    connect(m_changeTimer, &QTimer::timeout, this, &MainWindow::sendLiveChange);
    connect(m_settings, &SettingsPanel::liveSettingEdited, this, [this] {
        if (m_controller->isRunning())
            m_changeTimer->start();
    });
    connect(m_settings, &SettingsPanel::databaseChosen, this, [this] {
        if (!m_settings->databasePath().isEmpty())
            addRecentDatabase(m_settings->databasePath());
        // What the status bar said of the last file no longer holds; the results shown are the
        // last run's, on the file the banner names.
        statusBar()->clearMessage();
        setRunning(m_controller->isRunning());
    });
    connect(m_settings, &SettingsPanel::saveHotSetRequested, m_controller, &BackgroundRun::saveHotSet);
    connect(m_settings, &SettingsPanel::problemFound, this,
        [this](const QString &message) { statusBar()->showMessage(message); });
    connect(m_controller, &BackgroundRun::changeApplied, this, &MainWindow::onChangeApplied);
    connect(m_controller, &BackgroundRun::changeRejected, this,
        [this](const QString &reason) { statusBar()->showMessage(tr("Change refused: %1").arg(reason), 8000); });
    connect(&m_demoWatcher, &QFutureWatcher<QString>::finished, this, [this] {
        const QString result = m_demoWatcher.result();
        m_demoReady = true;
        if (result.startsWith(u"error:"_s)) {
            statusBar()->showMessage(tr("Could not create the demo database: %1").arg(result.mid(6)));
        } else {
            statusBar()->showMessage(tr("Demo database ready: %1").arg(result), 5000);
            if (m_settings->databasePath().isEmpty())
                m_settings->showDatabase();
        }
        setRunning(false);
    });
    buildMenus();
    m_progressLabel = new QLabel;
    m_progressLabel->setObjectName(u"progressLabel"_s);
    m_progress = new QProgressBar;
    m_progress->setObjectName(u"runProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    statusBar()->addPermanentWidget(m_progressLabel);
    statusBar()->addPermanentWidget(m_progress);
    m_progressLabel->hide();
    m_progress->hide();
    fitToScreen();
    splitter->setSizes({380, width() - 380});
    // The controls start on the default scenario (on the demo database when none is given), not
    // on their widgets' minimums.
    Scenario s;
    s.db.path = database;
    m_settings->setScenario(s);
    // The last session's layout, theme and recent files; its scenario too when no database was
    // named (a window opened on a given file starts on the defaults over it).
    restoreSettings(database.isEmpty());
    if (m_settings->databasePath().isEmpty())
        prepareDemoDatabase();
    setRunning(false);
}

void MainWindow::fitToScreen()
{
    // 1200×760 where the screen has room; never larger than the screen's available area (at
    // QT_SCALE_FACTOR=1.5 on 1920×1080 that is 1280×~690 device-independent pixels).
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    QSize size(1200, 760);
    if (screen) {
        const QRect available = screen->availableGeometry();
        // Leave room for the window frame.
        size = size.boundedTo(available.size() - QSize(16, 48));
        setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        resize(size);
        move(available.center() - rect().center());
    } else {
        resize(size);
    }
}

MainWindow::~MainWindow()
{
    m_demoWatcher.waitForFinished();
}

QWidget *MainWindow::buildControls()
{
    // The settings scroll when the window is short; Run, Stop and the phase line stay in view.
    auto *outer = new QWidget;
    m_controls = outer;
    auto *layout = new QVBoxLayout(outer);
    m_settings = new SettingsPanel;
    layout->addWidget(m_settings, 1);
    auto *buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"));
    m_run->setObjectName(u"runButton"_s);
    m_run->setDefault(true);
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(u"stopButton"_s);
    connect(m_run, &QPushButton::clicked, this, &MainWindow::startRun);
    connect(m_stop, &QPushButton::clicked, this, &MainWindow::stopRun);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    layout->addLayout(buttons);
    m_phaseLabel = new QLabel;
    m_phaseLabel->setObjectName(u"phaseLabel"_s);
    m_phaseLabel->setWordWrap(true);
    m_phaseLabel->setMinimumHeight(3 * m_phaseLabel->fontMetrics().lineSpacing()); // room kept, nothing jumps
    layout->addWidget(m_phaseLabel);
    return outer;
}

QWidget *MainWindow::buildKpiTiles()
{
    auto *tiles = new QWidget;
    auto *grid = new QGridLayout(tiles);
    grid->setContentsMargins(0, 0, 0, 0);
    auto makeTile = [&](const QString &objectName) {
        auto *label = new QLabel(u"—"_s);
        label->setObjectName(objectName);
        label->setAlignment(Qt::AlignCenter);
        label->setMinimumHeight(64);
        label->setTextFormat(Qt::RichText);
        label->setWordWrap(true); // a narrow window wraps the target line instead of scrolling
        label->setMinimumWidth(90);
        label->setStyleSheet(u"QLabel { border: 1px solid #c4c7c5; border-radius: 6px; padding: 4px; }"_s);
        return label;
    };
    // The tiles, in the KPI table's order; their object names stay what scripts and tests know.
    const std::pair<const char16_t *, const char16_t *> kpiTiles[]
        = {{u"hit_rate", u"hitRateTile"}, {u"db_query_reduction", u"dbReductionTile"},
            {u"throughput_ratio", u"throughputTile"}, {u"p50_reduction", u"latencyTile"},
            {u"transfer_reduction", u"transferTile"}, {u"cold_start_reduction", u"coldStartTile"},
            {u"bound_efficiency", u"boundEfficiencyTile"}, {u"stale_read_rate", u"staleReadRateTile"}};
    int column = 0;
    for (const auto &[key, name] : kpiTiles) {
        QLabel *label = makeTile(QString::fromUtf16(name));
        m_tiles.insert(QString::fromUtf16(key), label);
        grid->addWidget(label, 0, column++);
        showKpi(label, QString::fromUtf16(key), std::nullopt, nullptr);
    }
    return tiles;
}

void MainWindow::showKpi(QLabel *tile, const QString &kpi, const std::optional<double> &value, const RunResult *result)
{
    const KpiDef *def = findKpi(kpi);
    Q_ASSERT(def);
    const QString text = value ? def->format(*value) : u"—"_s;
    QString color = QString::fromLatin1(kNeutralColor);
    QString target;
    const QList<Criterion> criteria = result ? result->scenario.criteria : m_runScenario.criteria;
    for (const Criterion &c : criteria) {
        if (c.kpi != kpi)
            continue;
        target = tr("target %1 %2").arg(c.op == u"<="_s ? u"≤"_s : u"≥"_s, def->format(c.target));
        // The verdict is the criterion's own, for a live value as for the final one.
        if (const std::optional<bool> met = c.met(value))
            color = QString::fromLatin1(*met ? kPassColor : kFailColor);
    }
    tile->setText(
        u"<div style='font-size:small'>%1</div><div style='font-size:x-large; font-weight:bold; color:%2'>%3</div>"
        "<div style='font-size:small; color:#5f6368'>%4%5</div>"_s.arg(coreText("Kpi", def->title), color, text, target,
            value && !result                                                        ? tr(" (live)")
                : !value && !result && m_controller->isRunning() && !isLiveKpi(kpi) ? tr(" · at the end")
                                                                                    : QString()));
}

void MainWindow::prepareDemoDatabase()
{
    const QString path = DemoDatabase::defaultPath();
    m_settings->showDatabase();
    if (QFile::exists(path)) {
        m_demoReady = true;
        return;
    }
    statusBar()->showMessage(
        tr("Creating the demo database (%1 rows) in %2…").arg(DemoDatabase::kDefaultRows).arg(path));
    m_demoWatcher.setFuture(QtConcurrent::run([]() -> QString {
        try {
            return DemoDatabase::ensureDefault();
        } catch (const std::exception &error) {
            return u"error:"_s + QString::fromUtf8(error.what());
        }
    }));
}

void MainWindow::setScenario(const Scenario &scenario)
{
    m_settings->setScenario(scenario);
    setRunning(m_controller->isRunning());
}

Scenario MainWindow::scenario() const
{
    return m_settings->scenario();
}

void MainWindow::startRun()
{
    if (m_controller->isRunning() || (!m_demoReady && m_settings->databasePath().isEmpty()))
        return;
    // What is typed but not yet committed counts; a refused value stops the run here, named.
    if (const QStringList problems = m_settings->problems(); !problems.isEmpty()) {
        showBanner(tr("Cannot run: %1").arg(problems.join(u"; "_s)), true);
        statusBar()->showMessage(tr("Cannot run: fix the settings marked in red"));
        return;
    }
    showBanner({}, false);
    m_clearPending = true;
    setRunning(true);
    m_runScenario = scenario();
    m_currentPhase = Phase::Baseline;
    m_phaseStartRunTime = 0.0;
    // The plan: baseline, the cold comparison run when a warm-up is compared, the cached phase;
    // each with its excluded warm-up time.
    const auto secs = [](std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); };
    const Scenario &r = m_runScenario;
    const int phases = r.warmsUp() && r.warmup.compare ? 3 : 2;
    m_plannedTotal
        = secs(r.duration.baseline) + secs(r.duration.cached) * (phases - 1) + secs(r.duration.warmup) * phases;
    m_plannedDone = 0.0;
    m_phasePlanned = 0.0;
    m_phaseName = tr("Starting");
    showProgress(0.0);
    m_progressLabel->show();
    m_progress->show();
    m_controller->start(m_runScenario);
}

void MainWindow::clearResults()
{
    m_clearPending = false;
    m_charts->clear(m_runScenario);
    const bool staleness = m_runScenario.workload.readRatio < 1.0 || !m_runScenario.db.replicas.trimmed().isEmpty();
    m_lastChartTabs->setCurrentWidget(staleness                 ? m_charts->staleness()
            : m_runScenario.cache.l2Backend == L2Backend::Redis ? m_charts->l2()
                                                                : m_charts->bytes());
    m_segments->setRowCount(0);
    // The tiles keep their titles and this run's targets; values come as they are measured.
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it) {
        showKpi(it.value(), it.key(), std::nullopt, nullptr);
        it.value()->setToolTip(QString());
    }
}

void MainWindow::showBanner(const QString &text, bool failure)
{
    m_banner->setText(text);
    m_banner->setStyleSheet(failure ? u"QLabel { background: #fce8e6; color: #8c1d18; border: 1px solid #b3261e; "
                                      "border-radius: 4px; padding: 6px; }"_s
                                    : u"QLabel { background: #fef7e0; color: #5f4b00; border: 1px solid #c8a200; "
                                      "border-radius: 4px; padding: 6px; }"_s);
    m_banner->setVisible(!text.isEmpty());
}

void MainWindow::stopRun()
{
    m_controller->stop();
    statusBar()->showMessage(tr("Stopping…"));
}

void MainWindow::setRunning(bool running)
{
    m_run->setEnabled(!running && (m_demoReady || !m_settings->databasePath().isEmpty()));
    m_stop->setEnabled(running);
    m_settings->setRunning(running);
    if (m_presetMenu) {
        m_presetMenu->setEnabled(!running); // a preset replaces the scenario: not during a run
        m_openDatabaseAction->setEnabled(!running);
        m_openScenarioAction->setEnabled(!running);
        m_runAction->setEnabled(m_run->isEnabled());
        m_stopAction->setEnabled(running);
        m_applyAction->setEnabled(running);
        m_exportAction->setEnabled(!running);
    }
    if (!running)
        m_changeTimer->stop();
}

void MainWindow::sendLiveChange()
{
    if (!m_controller->isRunning())
        return;
    // The live settings whose controls differ from what the run has now, as one typed change.
    const ConfigChange change = ConfigChange::between(m_runScenario, scenario(), true);
    if (change.isEmpty())
        return;
    change.applyTo(m_runScenario);
    m_controller->applyChange(change);
}

void MainWindow::onChangeApplied(double runTime, const QString &change)
{
    const double x = runTime - m_phaseStartRunTime;
    m_charts->addChange(x, change);
    if (!m_replaying) {
        // The segment it starts; its figures come when the run ends.
        const int row = m_segments->rowCount();
        m_segments->insertRow(row);
        const QStringList cells {
            shownPhase(m_currentPhase), QString::number(runTime, 'f', 1), QString(), change, tr("at the end")};
        for (int c = 0; c < cells.size(); ++c)
            m_segments->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    statusBar()->showMessage(tr("Applied at %1 s: %2 (a new segment starts)").arg(x, 0, 'f', 1).arg(change), 8000);
}

void MainWindow::onPhaseStarted(Phase phase, double plannedSeconds)
{
    if (m_clearPending)
        clearResults();
    m_currentPhase = phase;
    m_plannedDone += m_phasePlanned;
    m_phasePlanned = plannedSeconds;
    m_phaseName = phase == Phase::Baseline ? tr("Baseline") : phase == Phase::Cold ? tr("Cold run") : tr("Cached");
    showProgress(0.0);
    m_charts->startPhase(phase, plannedSeconds);
    m_phaseLabel->setText((phase == Phase::Baseline ? tr("Baseline phase (no cache), %1 s")
            : phase == Phase::Cold ? tr("Cached phase run cold, %1 s (the warm-up's comparison, same seed)")
                                   : tr("Cached phase, %1 s"))
                              .arg(plannedSeconds));
}

void MainWindow::showProgress(double phaseTime)
{
    const double done = m_plannedDone + std::min(phaseTime, m_phasePlanned);
    const double total = std::max(m_plannedTotal, done);
    m_progress->setValue(total > 0 ? int(1000.0 * done / total) : 0);
    m_progressLabel->setText(m_phasePlanned > 0 ? tr("%1 %2 / %3 s · about %4 s left")
                                                      .arg(m_phaseName)
                                                      .arg(std::min(phaseTime, m_phasePlanned), 0, 'f', 1)
                                                      .arg(m_phasePlanned, 0, 'f', 0)
                                                      .arg(std::ceil(total - done), 0, 'f', 0)
                                                : m_phaseName + u'…');
}

void MainWindow::onSnapshot(const MetricsSnapshot &s)
{
    m_phaseStartRunTime = s.runTime - s.phaseTime;
    showProgress(s.phaseTime);
    // The last snapshot of a phase covers only the few milliseconds in which clients wind
    // down; its rates say nothing about the phase, so it is counted but not drawn.
    const std::optional<KpiInputs> live = m_charts->addSnapshot(s);
    if (!live)
        return;
    for (const QString &key : {u"hit_rate"_s, u"throughput_ratio"_s, u"db_query_reduction"_s}) {
        Q_ASSERT(isLiveKpi(key));
        if (const std::optional<double> value = findKpi(key)->compute(*live))
            showKpi(tile(key), key, value, nullptr);
    }
}

void MainWindow::onRunFinished(const RunResult &result)
{
    setRunning(false);
    m_progressLabel->hide();
    m_progress->hide();
    if (!result.error.isEmpty() && m_clearPending) {
        // Refused before its first phase: the last run's results stay, and the banner says why.
        m_clearPending = false;
        showBanner(tr("Run failed: %1").arg(result.error), true);
        statusBar()->showMessage(tr("Run failed: %1").arg(result.error));
        Q_EMIT runShown(result);
        return;
    }
    m_clearPending = false;
    m_lastResult = result;
    m_lastResultLabel = tr("the run that finished last");
    showSegments(result);
    if (!m_replaying)
        m_history->save(result, m_scenarioLabel); // in the background; the panel says when
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it)
        showKpi(it.value(), it.key(), result.kpi(it.key()), &result);
    if (result.coldStart && result.coldStartCold) {
        tile(u"cold_start_reduction"_s)
            ->setToolTip(tipText(tr("Cold start (1 s hit rate reaching 90 % of steady): cold %1 s, warmed %2 s; "
                                    "warm-up %3 keys in %4 s")
                                     .arg(result.coldStartCold->seconds, 0, 'f', 1)
                                     .arg(result.coldStart->seconds, 0, 'f', 1)
                                     .arg(result.warmup ? qint64(result.warmup->keysLoaded) : 0)
                                     .arg(result.warmup ? result.warmup->durationS : 0.0, 0, 'f', 2)));
    } else {
        tile(u"cold_start_reduction"_s)
            ->setToolTip(
                tipText(tr("Not measured: choose a warm-up strategy to compare a warmed start with a cold one")));
    }
    if (result.transfer) {
        tile(u"transfer_reduction"_s)
            ->setToolTip(tipText(tr("%1 B per read with %2, %3 B with full rows (same %4 keys)")
                                     .arg(result.transfer->bytesPerRequest(true), 0, 'f', 0)
                                     .arg(result.transfer->fields)
                                     .arg(result.transfer->bytesPerRequest(false), 0, 'f', 0)
                                     .arg(result.transfer->requests)));
    } else {
        tile(u"transfer_reduction"_s)
            ->setToolTip(tipText(tr("Not measured: choose fewer fields to measure a projection")));
    }
    if (const std::optional<HitCostModel> m = HitCostModel::of(result.kpiInputs())) {
        tile(u"bound_efficiency"_s)
            ->setToolTip(tipText(
                tr("At %1 % of requests answered by the cache, with a hit costing %2 baseline reads%3, the best "
                   "throughput ratio is %4×; measured %5×. Below 100 % the cache's own cost, not the hit "
                   "rate, holds the ratio back.")
                    .arg(m->hitShare * 100.0, 0, 'f', 1)
                    .arg(m->hitCost, 0, 'f', 3)
                    .arg(m->missCost ? tr(" and a miss %1").arg(*m->missCost, 0, 'f', 2) : QString())
                    .arg(m->bound, 0, 'f', 2)
                    .arg(m->bound * m->efficiency, 0, 'f', 2)));
    } else {
        tile(u"bound_efficiency"_s)
            ->setToolTip(
                tipText(tr("Not measured: the bound needs the closed model without think time, request timing on "
                           "(engine.metrics) and hits")));
    }
    // The criteria missed, each with what was measured against what was wanted.
    QStringList missed;
    for (const Criterion &c : result.scenario.criteria) {
        const std::optional<double> value = result.kpi(c.kpi);
        const KpiDef *def = findKpi(c.kpi);
        if (def && c.met(value) == false)
            missed << tr("%1 %2 (target %3 %4)")
                          .arg(coreText("Criterion", c.name), def->format(*value), c.op == u"<="_s ? u"≤"_s : u"≥"_s,
                              def->format(c.target));
    }
    QString message;
    if (!result.error.isEmpty())
        message = tr("Run failed: %1").arg(result.error);
    else
        message = (result.stopped ? tr("Run stopped.") : tr("Run finished.")) + u' '
            + (missed.isEmpty()          ? tr("Every measured criterion met.")
                    : missed.size() == 1 ? tr("1 criterion not met (see above).")
                                         : tr("%1 criteria not met (see above).").arg(missed.size()));
    if (!result.error.isEmpty())
        showBanner(tr("Run failed: %1. The charts show what ran before it failed.").arg(result.error), true);
    else if (!missed.isEmpty())
        showBanner(tr("Not met: %1").arg(missed.join(u"; "_s)), false);
    if (result.engineOverheadUs)
        message += tr(" Engine overhead: %1 µs per baseline request.").arg(*result.engineOverheadUs, 0, 'f', 2);
    if (result.suggestedWarmupKeys > 0)
        message += tr(" Suggested warm-up for the next run: %1 keys.").arg(result.suggestedWarmupKeys);
    // What the run wants the user to know (bad trace lines, writes, comparisons made unlike by a
    // live change): counted here, each in full in the tooltip and in every report.
    const QString notes
        = result.notes.size() == 1 ? tr(" 1 note on this run") : tr(" %1 notes on this run").arg(result.notes.size());
    m_phaseLabel->setToolTip(tipText(result.notes.isEmpty() ? QString() : u"• "_s + result.notes.join(u"\n• "_s)));
    m_phaseLabel->setText(result.notes.isEmpty() ? message : message + notes + tr(" (hover here)."));
    statusBar()->showMessage(result.notes.isEmpty() ? message : message + notes + u'.');
    Q_EMIT runShown(result);
}

LiveChart *MainWindow::hitRateChart() const
{
    return m_charts->hitRate();
}
LiveChart *MainWindow::throughputChart() const
{
    return m_charts->throughput();
}
LiveChart *MainWindow::coldStartChart() const
{
    return m_charts->coldStart();
}
LiveChart *MainWindow::latencyChart() const
{
    return m_charts->latency();
}
LiveChart *MainWindow::boundChart() const
{
    return m_charts->bound();
}
LiveChart *MainWindow::bytesChart() const
{
    return m_charts->bytes();
}
double MainWindow::hitWindow() const
{
    return m_charts->hitWindow();
}

void MainWindow::setHitWindow(double seconds)
{
    m_charts->setHitWindow(seconds);
    if (auto *a = findChild<QAction *>(u"hitWindow_%1"_s.arg(std::lround(m_charts->hitWindow()))))
        a->setChecked(true);
}

QString MainWindow::shownPhase(Phase phase)
{
    return phase == Phase::Baseline ? tr("baseline") : phase == Phase::Cold ? tr("cold") : tr("cached");
}

void MainWindow::showSegments(const RunResult &result)
{
    m_segments->setRowCount(0);
    for (const SegmentResult &segment : result.segments) {
        const PhaseResult &p = segment.stats;
        const int row = m_segments->rowCount();
        m_segments->insertRow(row);
        const QStringList cells {shownPhase(segment.phase) + (segment.warmup ? tr(" (warm-up)") : QString()),
            QString::number(segment.startS, 'f', 1), QString::number(segment.endS, 'f', 1),
            segment.change.isEmpty() ? tr("phase start") : segment.change,
            QString::number(p.requestsPerSecond(), 'f', 0),
            segment.phase == Phase::Baseline || p.reads == 0 ? u"—"_s
                                                             : QString::number(p.hitRate() * 100.0, 'f', 1) + u" %"_s,
            QString::number(double(p.latency.valueAtPercentile(50)) / 1000.0, 'f', 1),
            QString::number(double(p.latency.valueAtPercentile(99)) / 1000.0, 'f', 1),
            p.requests ? QString::number(double(p.dbStatements) / double(p.requests), 'f', 3) : u"—"_s};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c != 0 && c != 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_segments->setItem(row, c, item);
        }
    }
    m_segments->resizeColumnsToContents();
    m_segments->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_controller->isRunning() && !m_closeConfirmed) {
        // A run in progress is not thrown away by a stray click: ask, without blocking the
        // event loop (the run goes on while the question is open).
        event->ignore();
        if (findChild<QMessageBox *>(u"closeQuestion"_s))
            return;
        auto *ask = new QMessageBox(QMessageBox::Question, tr("Stop the run?"),
            tr("A run is in progress. Stop it and close CacheScope? What it measured so far is not kept."),
            QMessageBox::NoButton, this);
        ask->setObjectName(u"closeQuestion"_s);
        QPushButton *stop = ask->addButton(tr("Stop and close"), QMessageBox::DestructiveRole);
        stop->setObjectName(u"stopAndClose"_s);
        ask->addButton(tr("Keep running"), QMessageBox::RejectRole)->setObjectName(u"keepRunning"_s);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::buttonClicked, this, [this, stop](QAbstractButton *button) {
            if (button != stop)
                return;
            m_closeConfirmed = true;
            QTimer::singleShot(0, this, &QWidget::close);
        });
        ask->open();
        return;
    }
    // Ask the run to stop; BackgroundRun's destructor waits for the engine to wind down.
    m_controller->stop();
    saveSettings();
    event->accept();
}

} // namespace cachescope
