#include "ui/settingspanel.h"

#include "core/cache/evictionpolicy.h"
#include "core/db/demodatabase.h"
#include "core/experiment/experimentrunner.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

#include <chrono>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
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

SettingsPanel::SettingsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *dbBox = new QGroupBox(u"Database"_s);
    auto *dbLayout = new QHBoxLayout(dbBox);
    m_database = new QLineEdit;
    m_database->setReadOnly(true);
    m_database->setPlaceholderText(u"demo database"_s);
    auto *open = new QPushButton(u"Open…"_s);
    connect(open, &QPushButton::clicked, this, &SettingsPanel::chooseDatabase);
    auto *demo = new QPushButton(u"Demo"_s);
    demo->setToolTip(u"Use the demo database again"_s);
    connect(demo, &QPushButton::clicked, this, [this] {
        m_databasePath.clear();
        showDatabase();
        Q_EMIT databaseChosen();
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
    m_keys->setObjectName(u"keys"_s);
    m_zipf = new QDoubleSpinBox;
    m_zipf->setObjectName(u"zipf"_s);
    m_zipf->setRange(0.0, 5.0);
    m_zipf->setDecimals(2);
    m_zipf->setSingleStep(0.05);
    m_zipf->setValue(defaults.zipf);
    m_zipf->setToolTip(u"Zipf exponent of key popularity; 0 = uniform"_s);
    m_seed = intBox(0, std::numeric_limits<int>::max(), int(defaults.seed));
    m_seed->setObjectName(u"seed"_s);
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
    m_l1Ttl->setObjectName(u"l1Ttl"_s);
    m_l1Ttl->setToolTip(u"Time to live; 0 = entries never expire"_s);
    m_l1Policy = policyBox(defaults.l1Policy);
    m_l1Policy->setObjectName(u"l1Policy"_s);
    m_l2Capacity = intBox(0, 100'000'000, int(defaults.l2Capacity));
    m_l2Capacity->setObjectName(u"l2Capacity"_s);
    m_l2Capacity->setSuffix(u" entries"_s);
    m_l2Capacity->setSpecialValueText(u"no L2"_s);
    m_l2Ttl = secondsBox(0, 86400, seconds(defaults.l2Ttl), 3);
    m_l2Ttl->setObjectName(u"l2Ttl"_s);
    m_l2Policy = policyBox(defaults.l2Policy);
    m_l2Policy->setObjectName(u"l2Policy"_s);
    m_mode = new QComboBox;
    m_mode->setObjectName(u"mode"_s);
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
    m_baselineSeconds->setObjectName(u"baselineSeconds"_s);
    m_cachedSeconds = secondsBox(0.1, 3600, seconds(defaults.cachedDuration));
    m_cachedSeconds->setObjectName(u"cachedSeconds"_s);
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
    m_warmupKeys->setObjectName(u"warmupKeys"_s);
    m_warmupKeys->setSuffix(u" keys"_s);
    m_saveHotSet = new QPushButton(u"Save hot set now"_s);
    m_saveHotSet->setObjectName(u"saveHotSet"_s);
    m_saveHotSet->setToolTip(u"Write the hot keys the running cached phase has seen to the snapshot (every run "
                             "also saves it at its end)"_s);
    connect(m_saveHotSet, &QPushButton::clicked, this, &SettingsPanel::saveHotSetRequested);
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
    auto *outerLayout = new QVBoxLayout(this);
    outerLayout->setContentsMargins(0, 0, 0, 0);
    outerLayout->addWidget(scroll);
    m_viewport = scroll->viewport();
    for (QWidget *w : panel->findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }
    panel->setMinimumWidth(330);

    // Controls that apply while a run goes on.
    for (QSpinBox *box : {m_concurrency, m_l1Capacity, m_l2Capacity})
        connect(box, &QSpinBox::valueChanged, this, &SettingsPanel::liveSettingEdited);
    for (QDoubleSpinBox *box : {m_l1Ttl, m_l2Ttl})
        connect(box, &QDoubleSpinBox::valueChanged, this, &SettingsPanel::liveSettingEdited);
    for (QComboBox *box : {m_l1Policy, m_l2Policy, m_mode})
        connect(box, &QComboBox::currentTextChanged, this, &SettingsPanel::liveSettingEdited);
    connect(&m_columnsWatcher, &QFutureWatcher<Columns>::finished, this, &SettingsPanel::showColumns);
}

SettingsPanel::~SettingsPanel()
{
    m_columnsWatcher.waitForFinished();
}

void SettingsPanel::chooseDatabase()
{
    const QString file = QFileDialog::getOpenFileName(
        this, u"Open a SQLite database"_s, QString(), u"SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"_s);
    if (file.isEmpty())
        return;
    m_databasePath = file;
    showDatabase();
    Q_EMIT databaseChosen();
}

void SettingsPanel::showDatabase()
{
    const bool demo = m_databasePath.isEmpty();
    const QString path = demo ? DemoDatabase::defaultPath() : m_databasePath;
    m_database->setText(QFileInfo(path).fileName() + (demo ? u" (demo)"_s : QString()));
    // What a read-only run does to the file, said where the user picks it.
    m_database->setToolTip(path
        + u"\n\nOpened read-only unless the workload writes. SQLite adds -wal and -shm files beside a "
          "database in WAL mode while it is read; CacheScope writes nothing else there."_s);
    if (m_columnsShown)
        m_fields = checkedFields();
    m_columnsShown = false;
    m_fieldList->clear();
    if (QFile::exists(path))
        loadColumns(path);
}

void SettingsPanel::loadColumns(const QString &path)
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

void SettingsPanel::showColumns()
{
    const Columns columns = m_columnsWatcher.result();
    m_fieldList->clear();
    if (!columns.error.isEmpty()) {
        Q_EMIT problemFound(columns.error);
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

QString SettingsPanel::checkedFields() const
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

void SettingsPanel::setScenario(const Scenario &s)
{
    m_baseScenario = s;
    m_databasePath = s.dbPath;
    showDatabase();
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

Scenario SettingsPanel::scenario() const
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

void SettingsPanel::setRunning(bool running)
{
    // Clients and the cache settings stay live during a run (each edit is a ConfigChange); the
    // workload's shape, the fields and the phase lengths are fixed once it starts.
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_keys, m_zipf, m_seed, m_baselineSeconds, m_cachedSeconds, m_fieldList, m_warmupStrategy, m_warmupKeys})
        w->setEnabled(!running);
    m_saveHotSet->setEnabled(running);
}

bool SettingsPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel && m_viewport) {
        if (auto *w = qobject_cast<QWidget *>(watched); w && !w->hasFocus()) {
            QCoreApplication::sendEvent(m_viewport, event);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace cachescope
