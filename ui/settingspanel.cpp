#include "ui/settingspanel.h"

#include "core/cache/evictionpolicy.h"
#include "core/db/demodatabase.h"
#include "core/scenario/settings.h"

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
double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}

// Longest duration a control offers (a day); the settings table bounds durations below only.
constexpr double kMaxControlSeconds = 86400;
} // namespace

QWidget *SettingsPanel::makeControl(const QString &key)
{
    const SettingDef *setting = findSetting(key);
    Q_ASSERT(setting);
    QWidget *control = nullptr;
    switch (setting->kind) {
    case SettingKind::Integer: {
        auto *box = new QSpinBox;
        box->setRange(int(std::max<double>(setting->min, std::numeric_limits<int>::min())),
            int(std::min<double>(setting->max, std::numeric_limits<int>::max())));
        box->setGroupSeparatorShown(true);
        if (!setting->unit.isEmpty())
            box->setSuffix(u' ' + setting->unit);
        connect(box, &QSpinBox::valueChanged, this, [this, setting] { controlEdited(*setting); });
        control = box;
        break;
    }
    case SettingKind::Number:
    case SettingKind::Duration: {
        auto *box = new QDoubleSpinBox;
        const bool duration = setting->kind == SettingKind::Duration;
        box->setDecimals(3);
        box->setRange(duration ? setting->min / 1e9 : setting->min, duration ? kMaxControlSeconds : setting->max);
        box->setSingleStep(duration || setting->max > 5 ? 1.0 : 0.05);
        if (duration)
            box->setSuffix(u" s"_s);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, setting] { controlEdited(*setting); });
        control = box;
        break;
    }
    case SettingKind::Choice:
    case SettingKind::Flag: {
        auto *box = new QComboBox;
        box->addItems(setting->choices);
        connect(box, &QComboBox::currentIndexChanged, this, [this, setting] { controlEdited(*setting); });
        control = box;
        break;
    }
    case SettingKind::Text: {
        auto *edit = new QLineEdit;
        connect(edit, &QLineEdit::editingFinished, this, [this, setting] { controlEdited(*setting); });
        control = edit;
        break;
    }
    }
    control->setObjectName(key);
    control->setToolTip(setting->help + (setting->live ? u"\n\nApplies during a run."_s : QString()));
    m_controls.push_back({setting, control});
    return control;
}

void SettingsPanel::controlEdited(const SettingDef &setting)
{
    if (setting.live && !m_filling)
        Q_EMIT liveSettingEdited();
}

void SettingsPanel::showValue(const Control &c, const Scenario &s)
{
    const SettingValue value = c.setting->get(s);
    if (auto *spin = qobject_cast<QSpinBox *>(c.widget))
        spin->setValue(int(std::clamp<std::int64_t>(std::get<std::int64_t>(value), spin->minimum(), spin->maximum())));
    else if (auto *decimal = qobject_cast<QDoubleSpinBox *>(c.widget))
        decimal->setValue(c.setting->kind == SettingKind::Duration ? seconds(std::get<std::chrono::nanoseconds>(value))
                                                                   : std::get<double>(value));
    else if (auto *combo = qobject_cast<QComboBox *>(c.widget))
        combo->setCurrentIndex(
            c.setting->kind == SettingKind::Flag ? (std::get<bool>(value) ? 1 : 0) : std::get<Choice>(value).index);
    else if (auto *edit = qobject_cast<QLineEdit *>(c.widget))
        edit->setText(std::get<QString>(value));
}

void SettingsPanel::readValue(const Control &c, Scenario &s) const
{
    if (const auto *spin = qobject_cast<const QSpinBox *>(c.widget))
        c.setting->put(s, std::int64_t(spin->value()));
    else if (const auto *decimal = qobject_cast<const QDoubleSpinBox *>(c.widget))
        c.setting->put(s,
            c.setting->kind == SettingKind::Duration
                ? SettingValue(std::chrono::nanoseconds(std::llround(decimal->value() * 1e9)))
                : SettingValue(decimal->value()));
    else if (const auto *combo = qobject_cast<const QComboBox *>(c.widget))
        c.setting->put(s,
            c.setting->kind == SettingKind::Flag ? SettingValue(combo->currentIndex() == 1)
                                                 : SettingValue(Choice {combo->currentIndex()}));
    else if (const auto *edit = qobject_cast<const QLineEdit *>(c.widget))
        c.setting->put(s, edit->text());
}

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

    auto *workload = new QGroupBox(u"Workload"_s);
    auto *wl = new QFormLayout(workload);
    wl->addRow(u"Clients"_s, makeControl(u"workload.concurrency"_s));
    wl->addRow(u"Distinct keys"_s, makeControl(u"workload.keys"_s));
    wl->addRow(u"Zipf exponent"_s, makeControl(u"workload.zipf"_s));
    wl->addRow(u"Seed"_s, makeControl(u"workload.seed"_s));
    m_fieldList = new QListWidget;
    m_fieldList->setObjectName(u"fieldList"_s);
    m_fieldList->setFixedHeight(96); // a fixed size: the panel must not move while a run starts
    m_fieldList->setToolTip(u"The projection: the columns each read selects (the key column always). "
                            "All checked = full rows; fewer = a transfer-reduction measurement."_s);
    wl->addRow(u"Fields"_s, m_fieldList);
    layout->addWidget(workload);

    auto *cache = new QGroupBox(u"Cache"_s);
    auto *cl = new QFormLayout(cache);
    cl->addRow(u"L1 capacity"_s, makeControl(u"cache.l1.capacity"_s));
    cl->addRow(u"L1 TTL"_s, makeControl(u"cache.l1.ttl"_s));
    cl->addRow(u"L1 policy"_s, makeControl(u"cache.l1.policy"_s));
    QWidget *l2Capacity = makeControl(u"cache.l2.capacity"_s);
    static_cast<QSpinBox *>(l2Capacity)->setSpecialValueText(u"no L2"_s);
    cl->addRow(u"L2 capacity"_s, l2Capacity);
    cl->addRow(u"L2 TTL"_s, makeControl(u"cache.l2.ttl"_s));
    cl->addRow(u"L2 policy"_s, makeControl(u"cache.l2.policy"_s));
    cl->addRow(u"L2 mode"_s, makeControl(u"cache.mode"_s));
    layout->addWidget(cache);

    auto *phases = new QGroupBox(u"Phases"_s);
    auto *pl = new QFormLayout(phases);
    pl->addRow(u"Baseline"_s, makeControl(u"duration.baseline"_s));
    pl->addRow(u"Cached"_s, makeControl(u"duration.cached"_s));
    layout->addWidget(phases);

    auto *warmup = new QGroupBox(u"Warm-up"_s);
    auto *wul = new QFormLayout(warmup);
    wul->addRow(u"Strategy"_s, makeControl(u"warmup.strategy"_s));
    wul->addRow(u"Keys"_s, makeControl(u"warmup.keys"_s));
    m_saveHotSet = new QPushButton(u"Save hot set now"_s);
    m_saveHotSet->setObjectName(u"saveHotSet"_s);
    m_saveHotSet->setToolTip(u"Write the hot keys the running cached phase has seen to the snapshot (every run "
                             "also saves it at its end)"_s);
    connect(m_saveHotSet, &QPushButton::clicked, this, &SettingsPanel::saveHotSetRequested);
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
    m_databasePath = s.db.path;
    showDatabase();
    m_filling = true;
    for (const Control &c : m_controls)
        showValue(c, s);
    m_filling = false;
    m_fields = s.workload.fields; // shown when the table's columns have been read
}

Scenario SettingsPanel::scenario() const
{
    // Settings without a control here (criteria, byte limits, jitter...) come from the last
    // scenario given to setScenario().
    Scenario s = m_baseScenario;
    s.db.path = m_databasePath;
    for (const Control &c : m_controls)
        readValue(c, s);
    // The Zipf control is the popularity of a zipf (or, at 0, uniform) workload.
    if (s.workload.distribution == Distribution::Zipf || s.workload.distribution == Distribution::Uniform)
        s.workload.distribution = s.workload.zipf > 0 ? Distribution::Zipf : Distribution::Uniform;
    // Until the columns are read, the fields are those last given.
    s.workload.fields = m_columnsShown ? checkedFields() : m_fields;
    return s;
}

void SettingsPanel::setRunning(bool running)
{
    // The settings the table marks live stay editable during a run (each edit is a ConfigChange);
    // the others, and the fields, are fixed once it starts.
    for (const Control &c : m_controls)
        c.widget->setEnabled(!running || c.setting->live);
    m_fieldList->setEnabled(!running);
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
