#include "ui/mainwindow.h"

#include "core/cache/evictionpolicy.h"
#include "core/db/demodatabase.h"
#include "core/experiment/experimentrunner.h"
#include "ui/livechart.h"
#include "ui/runcontroller.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
constexpr auto kPassColor = "#1e7b34";
constexpr auto kFailColor = "#b3261e";
constexpr auto kNeutralColor = "#44474e";

QDoubleSpinBox *secondsBox(double min, double max, double value, int decimals = 1)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setSuffix(u" s"_s);
    return box;
}

QSpinBox *intBox(int min, int max, int value)
{
    auto *box = new QSpinBox;
    box->setRange(min, max);
    box->setValue(value);
    box->setGroupSeparatorShown(true);
    return box;
}

double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

MainWindow::MainWindow(const QString &database, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new RunController(this))
    , m_databasePath(database)
{
    setWindowTitle(u"CacheScope"_s);
    auto *splitter = new QSplitter;
    splitter->addWidget(buildControls());

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(buildKpiTiles());
    m_hitRateChart = new LiveChart(u"Cache hit rate"_s, u"cached phase time (s)"_s, u"hit rate (%)"_s);
    m_hitRateChart->setObjectName(u"hitRateChart"_s);
    m_hitRateChart->setFixedYRange(0, 100);
    m_hitSeries = m_hitRateChart->addSeries(u"hit rate (per 100 ms)"_s, QColor(0x1f, 0x77, 0xb4));
    m_l1HitSeries = m_hitRateChart->addSeries(u"L1"_s, QColor(0x9e, 0xc5, 0xe8), Qt::DashLine);
    m_l2HitSeries = m_hitRateChart->addSeries(u"L2"_s, QColor(0xff, 0x7f, 0x0e), Qt::DashLine);
    m_throughputChart
        = new LiveChart(u"Throughput: baseline vs cached"_s, u"phase time (s)"_s, u"thousands per second"_s);
    m_throughputChart->setObjectName(u"throughputChart"_s);
    m_baselineSeries = m_throughputChart->addSeries(u"baseline requests/s"_s, QColor(0x7f, 0x7f, 0x7f));
    m_cachedSeries = m_throughputChart->addSeries(u"cached requests/s"_s, QColor(0xd6, 0x27, 0x28));
    m_cachedDbSeries = m_throughputChart->addSeries(u"cached DB queries/s"_s, QColor(0x2c, 0xa0, 0x2c), Qt::DashLine);
    m_coldStartChart = new LiveChart(u"Cold start: hit rate over 1 s, cold vs warmed"_s,
        u"time since the cached phase started (s)"_s, u"hit rate (%)"_s);
    m_coldStartChart->setObjectName(u"coldStartChart"_s);
    m_coldStartChart->setFixedYRange(0, 100);
    m_coldRampSeries = m_coldStartChart->addSeries(u"cold"_s, QColor(0x7f, 0x7f, 0x7f));
    m_warmRampSeries = m_coldStartChart->addSeries(u"warmed up"_s, QColor(0x2c, 0xa0, 0x2c));
    rightLayout->addWidget(m_hitRateChart, 1);
    auto *lower = new QHBoxLayout;
    lower->addWidget(m_throughputChart, 3);
    lower->addWidget(m_coldStartChart, 2);
    rightLayout->addLayout(lower, 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    connect(m_controller, &RunController::statusChanged, this,
        [this](const QString &message) { statusBar()->showMessage(message); });
    connect(m_controller, &RunController::phaseStarted, this, &MainWindow::onPhaseStarted);
    connect(m_controller, &RunController::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::warmupProgress, this, [this](const WarmupProgress &p) {
        m_phaseLabel->setText(u"Cached phase, warmed up: %1 of %2 keys loaded (%3 done) in %4 s%5"_s.arg(p.keysLoaded)
                                  .arg(p.keysTotal)
                                  .arg(p.keysDone)
                                  .arg(p.elapsedS, 0, 'f', 1)
                                  .arg(p.finished ? u" — warm-up over"_s : u"…"_s));
    });
    connect(&m_columnsWatcher, &QFutureWatcher<Columns>::finished, this, &MainWindow::showColumns);
    // Live controls: while a run goes on, an edit becomes a ConfigChange (after a short pause, so
    // typing 20000 sends one change, not five).
    m_changeTimer = new QTimer(this);
    m_changeTimer->setSingleShot(true);
    m_changeTimer->setInterval(400);
    connect(m_changeTimer, &QTimer::timeout, this, &MainWindow::sendLiveChange);
    const auto edited = [this] {
        if (m_controller->isRunning())
            m_changeTimer->start();
    };
    for (QSpinBox *box : {m_concurrency, m_l1Capacity, m_l2Capacity})
        connect(box, &QSpinBox::valueChanged, this, edited);
    for (QDoubleSpinBox *box : {m_l1Ttl, m_l2Ttl})
        connect(box, &QDoubleSpinBox::valueChanged, this, edited);
    for (QComboBox *box : {m_l1Policy, m_l2Policy, m_mode})
        connect(box, &QComboBox::currentTextChanged, this, edited);
    connect(m_controller, &RunController::changeApplied, this, &MainWindow::onChangeApplied);
    connect(m_controller, &RunController::changeRejected, this,
        [this](const QString &reason) { statusBar()->showMessage(u"Change refused: "_s + reason, 8000); });
    connect(&m_demoWatcher, &QFutureWatcher<QString>::finished, this, [this] {
        const QString result = m_demoWatcher.result();
        m_demoReady = true;
        if (result.startsWith(u"error:"_s)) {
            statusBar()->showMessage(u"Could not create the demo database: "_s + result.mid(6));
        } else {
            statusBar()->showMessage(u"Demo database ready: "_s + result, 5000);
            if (m_databasePath.isEmpty())
                showDatabase(result);
        }
        setRunning(false);
    });
    resize(1200, 760);
    if (m_databasePath.isEmpty()) {
        prepareDemoDatabase();
    } else {
        showDatabase(m_databasePath);
    }
    setRunning(false);
}

MainWindow::~MainWindow()
{
    m_demoWatcher.waitForFinished();
    m_columnsWatcher.waitForFinished();
}

QWidget *MainWindow::buildControls()
{
    // The settings scroll when the window is short; Run, Stop and the phase line stay in view.
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *dbBox = new QGroupBox(u"Database"_s);
    auto *dbLayout = new QHBoxLayout(dbBox);
    m_database = new QLineEdit;
    m_database->setReadOnly(true);
    m_database->setPlaceholderText(u"demo database"_s);
    auto *open = new QPushButton(u"Open…"_s);
    connect(open, &QPushButton::clicked, this, &MainWindow::chooseDatabase);
    auto *demo = new QPushButton(u"Demo"_s);
    demo->setToolTip(u"Use the demo database again"_s);
    connect(demo, &QPushButton::clicked, this, [this] {
        m_databasePath.clear();
        showDatabase(DemoDatabase::defaultPath());
    });
    dbLayout->addWidget(m_database, 1);
    dbLayout->addWidget(open);
    dbLayout->addWidget(demo);
    layout->addWidget(dbBox);

    const Scenario defaults;
    auto *workload = new QGroupBox(u"Workload"_s);
    auto *wl = new QFormLayout(workload);
    m_concurrency = intBox(1, 4096, defaults.concurrency);
    m_concurrency->setObjectName(u"concurrency"_s);
    m_keys = intBox(1, 50'000'000, int(defaults.keys));
    m_zipf = new QDoubleSpinBox;
    m_zipf->setRange(0.0, 5.0);
    m_zipf->setDecimals(2);
    m_zipf->setSingleStep(0.05);
    m_zipf->setValue(defaults.zipf);
    m_zipf->setToolTip(u"Zipf exponent of key popularity; 0 = uniform"_s);
    m_seed = intBox(0, std::numeric_limits<int>::max(), int(defaults.seed));
    wl->addRow(u"Clients"_s, m_concurrency);
    wl->addRow(u"Distinct keys"_s, m_keys);
    wl->addRow(u"Zipf exponent"_s, m_zipf);
    wl->addRow(u"Seed"_s, m_seed);
    m_fieldList = new QListWidget;
    m_fieldList->setObjectName(u"fieldList"_s);
    m_fieldList->setFixedHeight(96); // a fixed size: the panel must not move while a run starts
    m_fieldList->setToolTip(u"The projection: the columns each read selects (the key column always). "
                            "All checked = full rows; fewer = a transfer-reduction measurement."_s);
    wl->addRow(u"Fields"_s, m_fieldList);
    layout->addWidget(workload);

    const auto policyBox = [](const QString &current) {
        auto *box = new QComboBox;
        box->addItems(EvictionPolicy::names());
        box->setCurrentText(current);
        return box;
    };
    auto *cache = new QGroupBox(u"Cache"_s);
    auto *cl = new QFormLayout(cache);
    m_l1Capacity = intBox(0, 100'000'000, int(defaults.l1Capacity));
    m_l1Capacity->setObjectName(u"l1Capacity"_s);
    m_l1Capacity->setSuffix(u" entries"_s);
    m_l1Ttl = secondsBox(0, 86400, seconds(defaults.l1Ttl), 3);
    m_l1Ttl->setToolTip(u"Time to live; 0 = entries never expire"_s);
    m_l1Policy = policyBox(defaults.l1Policy);
    m_l2Capacity = intBox(0, 100'000'000, int(defaults.l2Capacity));
    m_l2Capacity->setSuffix(u" entries"_s);
    m_l2Capacity->setSpecialValueText(u"no L2"_s);
    m_l2Ttl = secondsBox(0, 86400, seconds(defaults.l2Ttl), 3);
    m_l2Policy = policyBox(defaults.l2Policy);
    m_mode = new QComboBox;
    m_mode->addItems({u"inclusive"_s, u"exclusive"_s});
    m_mode->setToolTip(u"inclusive: loads fill both tiers; exclusive: L2 holds what L1 evicted"_s);
    cl->addRow(u"L1 capacity"_s, m_l1Capacity);
    cl->addRow(u"L1 TTL"_s, m_l1Ttl);
    cl->addRow(u"L1 policy"_s, m_l1Policy);
    cl->addRow(u"L2 capacity"_s, m_l2Capacity);
    cl->addRow(u"L2 TTL"_s, m_l2Ttl);
    cl->addRow(u"L2 policy"_s, m_l2Policy);
    cl->addRow(u"L2 mode"_s, m_mode);
    layout->addWidget(cache);

    auto *phases = new QGroupBox(u"Phases"_s);
    auto *pl = new QFormLayout(phases);
    m_baselineSeconds = secondsBox(0, 3600, seconds(defaults.baselineDuration));
    m_cachedSeconds = secondsBox(0.1, 3600, seconds(defaults.cachedDuration));
    pl->addRow(u"Baseline"_s, m_baselineSeconds);
    pl->addRow(u"Cached"_s, m_cachedSeconds);
    layout->addWidget(phases);

    auto *warmup = new QGroupBox(u"Warm-up"_s);
    auto *wul = new QFormLayout(warmup);
    m_warmupStrategy = new QComboBox;
    m_warmupStrategy->setObjectName(u"warmupStrategy"_s);
    m_warmupStrategy->addItems({u"none"_s, u"top-n"_s, u"keys-file"_s, u"query"_s});
    m_warmupStrategy->setToolTip(u"Keys loaded when the cached phase starts. top-n: the hottest keys of the last "
                                 "run's hot-set snapshot. With a warm-up the cached phase also runs cold first "
                                 "(same seed), to measure the cold-start reduction."_s);
    m_warmupKeys = intBox(1, 10'000'000, int(defaults.warmupKeys));
    m_warmupKeys->setSuffix(u" keys"_s);
    m_saveHotSet = new QPushButton(u"Save hot set now"_s);
    m_saveHotSet->setToolTip(u"Write the hot keys the running cached phase has seen to the snapshot (every run "
                             "also saves it at its end)"_s);
    connect(m_saveHotSet, &QPushButton::clicked, m_controller, &RunController::saveHotSet);
    wul->addRow(u"Strategy"_s, m_warmupStrategy);
    wul->addRow(u"Keys"_s, m_warmupKeys);
    wul->addRow(QString(), m_saveHotSet);
    layout->addWidget(warmup);

    layout->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setObjectName(u"settingsScroll"_s);
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *outer = new QWidget;
    auto *outerLayout = new QVBoxLayout(outer);
    outerLayout->addWidget(scroll, 1);
    layout = outerLayout;
    m_settingsViewport = scroll->viewport();
    for (QWidget *w : panel->findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }

    auto *buttons = new QHBoxLayout;
    m_run = new QPushButton(u"Run"_s);
    m_run->setObjectName(u"runButton"_s);
    m_run->setDefault(true);
    m_stop = new QPushButton(u"Stop"_s);
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
    outer->setMaximumWidth(380);
    panel->setMinimumWidth(330);
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
        label->setStyleSheet(u"QLabel { border: 1px solid #c4c7c5; border-radius: 6px; padding: 4px; }"_s);
        return label;
    };
    m_hitTile = makeTile(u"hitRateTile"_s);
    m_dbTile = makeTile(u"dbReductionTile"_s);
    m_throughputTile = makeTile(u"throughputTile"_s);
    m_latencyTile = makeTile(u"latencyTile"_s);
    grid->addWidget(m_hitTile, 0, 0);
    grid->addWidget(m_dbTile, 0, 1);
    grid->addWidget(m_throughputTile, 0, 2);
    grid->addWidget(m_latencyTile, 0, 3);
    m_transferTile = makeTile(u"transferTile"_s);
    grid->addWidget(m_transferTile, 0, 4);
    m_coldStartTile = makeTile(u"coldStartTile"_s);
    grid->addWidget(m_coldStartTile, 0, 5);
    showKpi(m_coldStartTile, u"cold_start_reduction"_s, std::nullopt, nullptr);
    showKpi(m_transferTile, u"transfer_reduction"_s, std::nullopt, nullptr);
    showKpi(m_hitTile, u"hit_rate"_s, std::nullopt, nullptr);
    showKpi(m_dbTile, u"db_query_reduction"_s, std::nullopt, nullptr);
    showKpi(m_throughputTile, u"throughput_ratio"_s, std::nullopt, nullptr);
    showKpi(m_latencyTile, u"p50_reduction"_s, std::nullopt, nullptr);
    return tiles;
}

void MainWindow::showKpi(QLabel *tile, const QString &kpi, const std::optional<double> &value, const RunResult *result)
{
    static const QHash<QString, QString> titles {{u"hit_rate"_s, u"Hit rate"_s},
        {u"db_query_reduction"_s, u"DB queries reduced"_s}, {u"throughput_ratio"_s, u"Throughput × baseline"_s},
        {u"p50_reduction"_s, u"p50 latency reduced"_s}, {u"transfer_reduction"_s, u"Bytes read reduced"_s},
        {u"cold_start_reduction"_s, u"Cold start reduced"_s}};
    QString text = u"—"_s;
    if (value)
        text = kpi == u"throughput_ratio"_s ? QString::number(*value, 'f', 2) + u"×"_s
                                            : QString::number(*value * 100.0, 'f', 1) + u" %"_s;
    QString color = QString::fromLatin1(kNeutralColor);
    QString target;
    const QList<Criterion> criteria = result ? result->scenario.criteria : Scenario::defaultCriteria();
    for (const Criterion &c : criteria) {
        if (c.kpi != kpi)
            continue;
        target = u"target "_s + c.op + u' '
            + (kpi == u"throughput_ratio"_s ? QString::number(c.target, 'g', 3) + u"×"_s
                                            : QString::number(c.target * 100.0, 'g', 3) + u" %"_s);
        if (value) {
            const bool ok = c.op == u"<="_s ? *value <= c.target : *value >= c.target;
            color = QString::fromLatin1(ok ? kPassColor : kFailColor);
        }
    }
    tile->setText(
        u"<div style='font-size:small'>%1</div><div style='font-size:x-large; font-weight:bold; color:%2'>%3</div>"
        "<div style='font-size:small; color:#5f6368'>%4%5</div>"_s.arg(
            titles.value(kpi), color, text, target, result || !value ? QString() : u" (live)"_s));
}

void MainWindow::prepareDemoDatabase()
{
    const QString path = DemoDatabase::defaultPath();
    showDatabase(path);
    if (QFile::exists(path)) {
        m_demoReady = true;
        return;
    }
    statusBar()->showMessage(
        u"Creating the demo database (%1 rows) in %2…"_s.arg(DemoDatabase::kDefaultRows).arg(path));
    m_demoWatcher.setFuture(QtConcurrent::run([]() -> QString {
        try {
            return DemoDatabase::ensureDefault();
        } catch (const std::exception &error) {
            return u"error:"_s + QString::fromUtf8(error.what());
        }
    }));
}

void MainWindow::chooseDatabase()
{
    const QString file = QFileDialog::getOpenFileName(
        this, u"Open a SQLite database"_s, QString(), u"SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"_s);
    if (file.isEmpty())
        return;
    m_databasePath = file;
    showDatabase(file);
}

void MainWindow::showDatabase(const QString &path)
{
    const bool demo = m_databasePath.isEmpty();
    m_database->setText(QFileInfo(path).fileName() + (demo ? u" (demo)"_s : QString()));
    m_database->setToolTip(path);
    if (m_columnsShown)
        m_fields = checkedFields();
    m_columnsShown = false;
    m_fieldList->clear();
    if (QFile::exists(path))
        loadColumns(path);
}

void MainWindow::loadColumns(const QString &path)
{
    if (m_columnsWatcher.isRunning())
        m_columnsWatcher.waitForFinished(); // a PRAGMA: milliseconds
    DataSourceSpec spec = m_baseScenario.dataSource();
    spec.path = path;
    m_columnsWatcher.setFuture(QtConcurrent::run([spec]() -> Columns {
        try {
            return {inspectTable(spec).columns, spec.keyColumn, {}};
        } catch (const std::exception &error) {
            return {{}, spec.keyColumn, QString::fromUtf8(error.what())};
        }
    }));
}

void MainWindow::showColumns()
{
    const Columns columns = m_columnsWatcher.result();
    m_fieldList->clear();
    if (!columns.error.isEmpty()) {
        statusBar()->showMessage(columns.error);
        return;
    }
    QStringList wanted;
    for (const QString &f : m_fields.split(u',', Qt::SkipEmptyParts)) {
        if (columns.names.contains(f.trimmed()))
            wanted << f.trimmed();
    }
    const bool all = wanted.isEmpty();
    for (const QString &name : columns.names) {
        auto *item = new QListWidgetItem(name, m_fieldList);
        const bool key = name == columns.key;
        item->setFlags(key ? Qt::ItemIsUserCheckable : Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(all || key || wanted.contains(name) ? Qt::Checked : Qt::Unchecked);
        if (key)
            item->setToolTip(u"the key column: always read"_s);
    }
    m_columnsShown = true;
}

QString MainWindow::checkedFields() const
{
    QStringList checked;
    bool all = true;
    for (int i = 0; i < m_fieldList->count(); ++i) {
        const QListWidgetItem *item = m_fieldList->item(i);
        if (item->checkState() == Qt::Checked)
            checked << item->text();
        else
            all = false;
    }
    return all ? QString() : checked.join(u',');
}

void MainWindow::setScenario(const Scenario &s)
{
    m_baseScenario = s;
    m_databasePath = s.dbPath;
    showDatabase(s.dbPath.isEmpty() ? DemoDatabase::defaultPath() : s.dbPath);
    m_concurrency->setValue(s.concurrency);
    m_keys->setValue(int(std::min<std::int64_t>(s.keys, m_keys->maximum())));
    m_zipf->setValue(s.zipf);
    m_seed->setValue(int(std::min<std::uint64_t>(s.seed, std::uint64_t(m_seed->maximum()))));
    m_fields = s.fields; // shown when the table's columns have been read
    m_l1Capacity->setValue(int(std::min<std::int64_t>(s.l1Capacity, m_l1Capacity->maximum())));
    m_l1Ttl->setValue(seconds(s.l1Ttl));
    m_l1Policy->setCurrentText(s.l1Policy);
    m_l2Capacity->setValue(int(std::min<std::int64_t>(s.l2Capacity, m_l2Capacity->maximum())));
    m_l2Ttl->setValue(seconds(s.l2Ttl));
    m_l2Policy->setCurrentText(s.l2Policy);
    m_mode->setCurrentText(s.cacheMode);
    m_baselineSeconds->setValue(seconds(s.baselineDuration));
    m_cachedSeconds->setValue(seconds(s.cachedDuration));
    m_warmupStrategy->setCurrentText(s.warmupStrategy);
    m_warmupKeys->setValue(int(std::min<std::int64_t>(s.warmupKeys, m_warmupKeys->maximum())));
}

Scenario MainWindow::scenario() const
{
    // Settings without a control here (criteria, byte limits, jitter...) come from the last
    // scenario given to setScenario().
    Scenario s = m_baseScenario;
    s.dbPath = m_databasePath;
    s.concurrency = m_concurrency->value();
    s.keys = m_keys->value();
    s.zipf = m_zipf->value();
    s.distribution = s.zipf > 0 ? u"zipf"_s : u"uniform"_s;
    s.seed = std::uint64_t(m_seed->value());
    // Until the columns are read, the fields are those last given.
    s.fields = m_columnsShown ? checkedFields() : m_fields;
    s.l1Capacity = m_l1Capacity->value();
    s.l1Ttl = std::chrono::nanoseconds(std::llround(m_l1Ttl->value() * 1e9));
    s.l1Policy = m_l1Policy->currentText();
    s.l2Capacity = m_l2Capacity->value();
    s.l2Ttl = std::chrono::nanoseconds(std::llround(m_l2Ttl->value() * 1e9));
    s.l2Policy = m_l2Policy->currentText();
    s.cacheMode = m_mode->currentText();
    s.baselineDuration = std::chrono::nanoseconds(std::llround(m_baselineSeconds->value() * 1e9));
    s.cachedDuration = std::chrono::nanoseconds(std::llround(m_cachedSeconds->value() * 1e9));
    s.warmupStrategy = m_warmupStrategy->currentText();
    s.warmupKeys = m_warmupKeys->value();
    return s;
}

void MainWindow::startRun()
{
    if (m_controller->isRunning() || (!m_demoReady && m_databasePath.isEmpty()))
        return;
    m_hitRateChart->clear();
    m_throughputChart->clear();
    m_coldStartChart->clear();
    m_rampTail.clear();
    m_baselineRate = 0.0;
    m_baselineRequests = 0;
    m_baselineTime = 0.0;
    for (QLabel *tile : {m_hitTile, m_dbTile, m_throughputTile, m_latencyTile, m_transferTile, m_coldStartTile})
        tile->setText(u"—"_s);
    setRunning(true);
    m_runScenario = scenario();
    m_currentPhase = Phase::Baseline;
    m_phaseStartRunTime = 0.0;
    m_controller->start(m_runScenario);
}

void MainWindow::stopRun()
{
    m_controller->stop();
    statusBar()->showMessage(u"Stopping…"_s);
}

void MainWindow::setRunning(bool running)
{
    m_run->setEnabled(!running && (m_demoReady || !m_databasePath.isEmpty()));
    m_stop->setEnabled(running);
    // Clients and the cache settings stay live during a run (each edit is a ConfigChange); the
    // workload's shape, the fields and the phase lengths are fixed once it starts.
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_keys, m_zipf, m_seed, m_baselineSeconds, m_cachedSeconds, m_fieldList, m_warmupStrategy, m_warmupKeys})
        w->setEnabled(!running);
    m_saveHotSet->setEnabled(running);
    if (!running)
        m_changeTimer->stop();
}

void MainWindow::sendLiveChange()
{
    if (!m_controller->isRunning())
        return;
    const Scenario now = scenario();
    QStringList assignments;
    auto differs = [&assignments](bool changed, const QString &key, const QString &value) {
        if (changed)
            assignments << key + u'=' + value;
    };
    Scenario &was = m_runScenario;
    differs(now.concurrency != was.concurrency, u"workload.concurrency"_s, QString::number(now.concurrency));
    differs(now.l1Capacity != was.l1Capacity, u"cache.l1.capacity"_s, QString::number(now.l1Capacity));
    differs(now.l1Ttl != was.l1Ttl, u"cache.l1.ttl"_s, formatDuration(now.l1Ttl));
    differs(now.l1Policy != was.l1Policy, u"cache.l1.policy"_s, now.l1Policy);
    differs(now.l2Capacity != was.l2Capacity, u"cache.l2.capacity"_s, QString::number(now.l2Capacity));
    differs(now.l2Ttl != was.l2Ttl, u"cache.l2.ttl"_s, formatDuration(now.l2Ttl));
    differs(now.l2Policy != was.l2Policy, u"cache.l2.policy"_s, now.l2Policy);
    differs(now.cacheMode != was.cacheMode, u"cache.mode"_s, now.cacheMode);
    if (assignments.isEmpty())
        return;
    for (const QString &a : assignments)
        was.applyAssignment(a);
    m_controller->applyChange(assignments);
}

void MainWindow::onChangeApplied(double runTime, const QString &change)
{
    const double x = runTime - m_phaseStartRunTime;
    m_throughputChart->addMarker(x, change);
    if (m_currentPhase == Phase::Cached)
        m_hitRateChart->addMarker(x, change);
    statusBar()->showMessage(u"Applied at %1 s: %2 (a new segment starts)"_s.arg(x, 0, 'f', 1).arg(change), 8000);
}

void MainWindow::onPhaseStarted(Phase phase, double plannedSeconds)
{
    m_currentPhase = phase;
    m_rampTail.clear();
    if (phase != Phase::Baseline)
        m_coldStartChart->setXSpan(std::min(plannedSeconds, 10.0));
    if (phase == Phase::Cached)
        m_hitRateChart->setXSpan(plannedSeconds);
    m_throughputChart->setXSpan(std::max(plannedSeconds, seconds(scenario().cachedDuration)));
    m_phaseLabel->setText((phase == Phase::Baseline ? u"Baseline phase (no cache), %1 s"_s
            : phase == Phase::Cold ? u"Cached phase run cold, %1 s (the warm-up's comparison, same seed)"_s
                                   : u"Cached phase, %1 s"_s)
                              .arg(plannedSeconds));
}

void MainWindow::onSnapshot(const MetricsSnapshot &s)
{
    m_phaseStartRunTime = s.runTime - s.phaseTime;
    // The last snapshot of a phase covers only the few milliseconds in which clients wind
    // down; its rates say nothing about the phase, so it is counted but not drawn.
    const bool drawable = s.interval >= 0.5 * ExperimentRunner::kSampleIntervalMs / 1000.0;
    if (s.phase == Phase::Baseline) {
        m_baselineRequests += s.requests;
        m_baselineTime = s.phaseTime;
        m_baselineRate = m_baselineTime > 0 ? double(m_baselineRequests) / m_baselineTime : 0.0;
        if (drawable)
            m_throughputChart->append(m_baselineSeries, {s.phaseTime, s.requestsPerSecond() / 1000.0});
        return;
    }
    if (s.phase != Phase::Baseline) {
        // The cold-start curves: the hit rate over the last second (less at the phase's start).
        m_rampTail.append(s);
        while (m_rampTail.size() > 20)
            m_rampTail.removeFirst();
        const std::vector<RampPoint> ramp = hitRateRamp(m_rampTail, s.phase);
        if (!ramp.empty() && s.hits + s.misses > 0)
            m_coldStartChart->append(s.phase == Phase::Cold ? m_coldRampSeries : m_warmRampSeries,
                {ramp.back().phaseTime, ramp.back().hitRate * 100.0});
    }
    // The cold comparison run shows in the cold-start chart only; the other charts show the
    // phases whose figures the KPIs compare.
    if (!drawable || s.phase == Phase::Cold)
        return;
    m_throughputChart->append(m_cachedSeries, {s.phaseTime, s.requestsPerSecond() / 1000.0});
    m_throughputChart->append(m_cachedDbSeries, {s.phaseTime, s.dbStatementsPerSecond() / 1000.0});
    if (s.hits + s.misses > 0) {
        m_hitRateChart->append(m_hitSeries, {s.phaseTime, s.hitRate() * 100.0});
        m_hitRateChart->append(m_l1HitSeries, {s.phaseTime, s.l1HitRate() * 100.0});
        m_hitRateChart->append(m_l2HitSeries, {s.phaseTime, s.l2HitRate() * 100.0});
        showKpi(m_hitTile, u"hit_rate"_s, s.hitRate(), nullptr);
    }
    if (m_baselineRate > 0 && s.requests > 0) {
        showKpi(m_throughputTile, u"throughput_ratio"_s, s.requestsPerSecond() / m_baselineRate, nullptr);
        // The baseline makes one statement per request.
        showKpi(m_dbTile, u"db_query_reduction"_s, 1.0 - double(s.dbStatements) / double(s.requests), nullptr);
    }
}

void MainWindow::onRunFinished(const RunResult &result)
{
    setRunning(false);
    showKpi(m_hitTile, u"hit_rate"_s, result.hitRate, &result);
    showKpi(m_dbTile, u"db_query_reduction"_s, result.dbQueryReduction, &result);
    showKpi(m_throughputTile, u"throughput_ratio"_s, result.throughputRatio, &result);
    showKpi(m_latencyTile, u"p50_reduction"_s, result.p50Reduction, &result);
    showKpi(m_transferTile, u"transfer_reduction"_s, result.transferReduction, &result);
    showKpi(m_coldStartTile, u"cold_start_reduction"_s, result.coldStartReduction, &result);
    if (result.coldStart && result.coldStartCold) {
        m_coldStartTile->setToolTip(u"Cold start (1 s hit rate reaching 90 % of steady): cold %1 s, warmed %2 s; "
                                    "warm-up %3 keys in %4 s"_s.arg(result.coldStartCold->seconds, 0, 'f', 1)
                                        .arg(result.coldStart->seconds, 0, 'f', 1)
                                        .arg(result.warmup ? qint64(result.warmup->keysFilled) : 0)
                                        .arg(result.warmup ? result.warmup->durationS : 0.0, 0, 'f', 2));
    } else {
        m_coldStartTile->setToolTip(
            u"Not measured: choose a warm-up strategy to compare a warmed start with a cold one"_s);
    }
    if (result.transfer) {
        m_transferTile->setToolTip(u"%1 B per read with %2, %3 B with full rows (same %4 keys)"_s
                                       .arg(result.transfer->bytesPerRequest(true), 0, 'f', 0)
                                       .arg(result.transfer->fields)
                                       .arg(result.transfer->bytesPerRequest(false), 0, 'f', 0)
                                       .arg(result.transfer->requests));
    } else {
        m_transferTile->setToolTip(u"Not measured: choose fewer fields to measure a projection"_s);
    }
    QString message;
    if (!result.error.isEmpty())
        message = u"Run failed: "_s + result.error;
    else
        message = (result.stopped ? u"Run stopped. "_s : u"Run finished. "_s)
            + (result.passed ? u"Every measured criterion met."_s : u"Some criteria not met."_s);
    if (result.engineOverheadUs)
        message += u" Engine overhead: %1 µs per baseline request."_s.arg(*result.engineOverheadUs, 0, 'f', 2);
    if (result.suggestedWarmupKeys > 0)
        message += u" Suggested warm-up for the next run: %1 keys."_s.arg(result.suggestedWarmupKeys);
    // What the run wants the user to know (bad trace lines, writes, comparisons made unlike by a
    // live change): counted here, each in full in the tooltip and in every report.
    const QString notes
        = result.notes.size() == 1 ? u" 1 note on this run"_s : u" %1 notes on this run"_s.arg(result.notes.size());
    m_phaseLabel->setToolTip(result.notes.isEmpty() ? QString() : u"• "_s + result.notes.join(u"\n• "_s));
    m_phaseLabel->setText(result.notes.isEmpty() ? message : message + notes + u" (hover here)."_s);
    statusBar()->showMessage(result.notes.isEmpty() ? message : message + notes + u'.');
    Q_EMIT runShown(result);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel && m_settingsViewport) {
        if (auto *w = qobject_cast<QWidget *>(watched); w && !w->hasFocus()) {
            QCoreApplication::sendEvent(m_settingsViewport, event);
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Ask the run to stop; RunController's destructor waits for the engine to wind down.
    m_controller->stop();
    event->accept();
}

} // namespace cachescope
