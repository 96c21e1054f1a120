#include "ui/settingspanel.h"

#include "core/metrics/kpi.h"

#include "core/cache/evictionpolicy.h"
#include "core/db/demodatabase.h"
#include "core/load/datasource.h"
#include "core/scenario/settings.h"

#include "ui/coretext.h"
#include "ui/settingfield.h"
#include "ui/tiptext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHash>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QtConcurrent/QtConcurrentRun>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// A setting's label, in the user's language: every key of the settings table has one here
// (tst_translations checks); a key added without one shows its last part in words.
QString labelFor(const QString &key)
{
    static const QHash<QString, const char *> names {
        {u"db.table"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Table")},
        {u"db.key"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Key column")},
        {u"db.rtt"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Round-trip")},
        {u"db.rtt_jitter"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Round-trip jitter")},
        {u"workload.concurrency"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Clients")},
        {u"workload.keys"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Distinct keys")},
        {u"workload.zipf"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Zipf exponent")},
        {u"workload.model"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Load model")},
        {u"workload.rate"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Rate (open model)")},
        {u"workload.read_ratio"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Read share")},
        {u"cache.mode"_s, QT_TRANSLATE_NOOP("SettingsPanel", "L2 mode")},
        {u"cache.ttl_jitter"_s, QT_TRANSLATE_NOOP("SettingsPanel", "TTL jitter")},
        {u"cache.negative_ttl"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Negative TTL")},
        {u"duration.warmup"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Warm-up (excluded)")},
        {u"warmup.keys"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Keys")},
        {u"db.path"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Database file")},
        {u"db.retries"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Retries")},
        {u"db.retry_backoff"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Retry backoff")},
        {u"db.connections"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Connections")},
        {u"db.failure_rate"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Failure rate")},
        {u"db.stall"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Stall")},
        {u"db.stall_every"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Stall every")},
        {u"db.url"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Server URL")},
        {u"db.replicas"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Read replicas")},
        {u"db.replica_reads"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Replica reads")},
        {u"db.primary_after_write"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Primary after write")},
        {u"db.pipeline_depth"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Pipeline depth")},
        {u"db.timeout"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Server timeout")},
        {u"db.version_column"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Version column")},
        {u"workload.distribution"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Distribution")},
        {u"workload.hot_keys"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Hot keys")},
        {u"workload.hot_requests"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Hot requests")},
        {u"workload.shift_every"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Shift every")},
        {u"workload.trace"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Trace")},
        {u"workload.trace_format"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Trace format")},
        {u"workload.trace_column"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Trace column")},
        {u"workload.seed"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Seed")},
        {u"workload.arrival"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Arrival")},
        {u"workload.think_time"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Think time")},
        {u"workload.fields"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Fields")},
        {u"cache.l1.capacity"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Capacity")},
        {u"cache.l1.ttl"_s, QT_TRANSLATE_NOOP("SettingsPanel", "TTL")},
        {u"cache.l1.policy"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Policy")},
        {u"cache.l1.max_bytes"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Max bytes")},
        {u"cache.l2.capacity"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Capacity")},
        {u"cache.l2.ttl"_s, QT_TRANSLATE_NOOP("SettingsPanel", "TTL")},
        {u"cache.l2.policy"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Policy")},
        {u"cache.l2.max_bytes"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Max bytes")},
        {u"cache.l2.backend"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Backend")},
        {u"cache.l2.url"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Redis URL")},
        {u"cache.l2.password_file"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Password file")},
        {u"cache.l2.prefix"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Key prefix")},
        {u"cache.l2.tracking"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Invalidation tracking")},
        {u"cache.instances"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Instances")},
        {u"cache.write_policy"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Write policy")},
        {u"cache.batch_loads"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Batch loads")},
        {u"cache.batch_window"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Batch window")},
        {u"cache.batch_max"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Largest batch")},
        {u"duration.baseline"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Baseline")},
        {u"duration.cached"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Cached")},
        {u"warmup.strategy"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Strategy")},
        {u"warmup.keys_file"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Keys file")},
        {u"warmup.order_by"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Order by")},
        {u"warmup.max_time"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Time budget")},
        {u"warmup.concurrency"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Concurrency")},
        {u"warmup.batch"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Keys per statement")},
        {u"warmup.priority"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Priority")},
        {u"warmup.auto"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Size from the last run")},
        {u"warmup.coverage"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Coverage")},
        {u"warmup.compare"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Compare with a cold run")},
        {u"warmup.snapshot"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Snapshot")},
        {u"engine.workers"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Worker threads")},
        {u"engine.metrics"_s, QT_TRANSLATE_NOOP("SettingsPanel", "Request timing")},
    };
    if (const char *name = names.value(key))
        return QCoreApplication::translate("SettingsPanel", name);
    QString last = key.section(u'.', -1).replace(u'_', u' ');
    last.replace(u"ttl"_s, u"TTL"_s).replace(u"rtt"_s, u"RTT"_s);
    last[0] = last[0].toUpper();
    return last;
}

// Text settings that name a file the user picks.
bool namesAFile(const SettingDef &setting)
{
    return setting.key == u"workload.trace"_s || setting.key == u"warmup.keys_file"_s
        || setting.key == u"warmup.snapshot"_s;
}
} // namespace

QWidget *SettingsPanel::makeGroup(QVBoxLayout *layout, const char *title, const QStringList &keys, bool open)
{
    // A group that folds: a header button over a form of the group's settings. Its object name
    // keeps the English title, whatever the language shown.
    auto *header = new QToolButton;
    header->setObjectName(u"group_"_s + QString::fromUtf8(title));
    header->setText(tr(title));
    header->setCheckable(true);
    header->setChecked(open);
    header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    header->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    header->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    header->setStyleSheet(u"QToolButton { border: none; font-weight: bold; }"_s);
    auto *body = new QWidget;
    auto *form = new QFormLayout(body);
    form->setContentsMargins(12, 0, 0, 6);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const QString &key : keys) {
        const SettingDef *setting = findSetting(key);
        Q_ASSERT(setting);
        auto *field = new SettingField(*setting, key == u"db.table"_s || key == u"db.key"_s);
        connect(field, &SettingField::committed, this, [this, field] { fieldCommitted(field); });
        m_controls.push_back(field);
        QWidget *row = field;
        if (key == u"db.url"_s) {
            // The server's URL with the button that tries it (and its replicas).
            row = new QWidget;
            auto *h = new QHBoxLayout(row);
            h->setContentsMargins(0, 0, 0, 0);
            h->addWidget(field, 1);
            auto *test = new QToolButton;
            test->setObjectName(u"testConnection"_s);
            test->setText(tr("Test"));
            test->setToolTip(tipText(tr("Connect to the server and each read replica, and say what they are: "
                                        "version, tables, and how far each replica is behind")));
            connect(test, &QToolButton::clicked, this, &SettingsPanel::testConnection);
            h->addWidget(test, 0, Qt::AlignTop);
        } else if (namesAFile(*setting)) {
            row = new QWidget;
            auto *h = new QHBoxLayout(row);
            h->setContentsMargins(0, 0, 0, 0);
            h->addWidget(field, 1);
            auto *pick = new QToolButton;
            pick->setObjectName(key + u"_pick"_s);
            pick->setText(u"…"_s);
            pick->setToolTip(tr("Choose the file"));
            connect(pick, &QToolButton::clicked, this, [this, field] { chooseFile(field); });
            h->addWidget(pick, 0, Qt::AlignTop);
        }
        auto *label = new QLabel(labelFor(key));
        label->setToolTip(tipText(coreText("Settings", setting->help)));
        label->setBuddy(field->lineEdit() ? static_cast<QWidget *>(field->lineEdit()) : field->comboBox());
        form->addRow(label, row);
        m_rows.insert(key, row);
    }
    body->setVisible(open);
    connect(header, &QToolButton::toggled, this, [header, body](bool shown) {
        header->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
        body->setVisible(shown);
    });
    layout->addWidget(header);
    layout->addWidget(body);
    return body;
}

void SettingsPanel::fieldCommitted(const SettingField *field)
{
    if (m_filling)
        return;
    if (field->setting().key == u"db.url"_s) {
        showDatabase(); // connects to the server and reads its tables: the connection's test
    } else if (field->setting().key == u"db.table"_s) {
        showTable();
    } else if (field->setting().key == u"db.key"_s) {
        if (m_columnsShown)
            m_fields = checkedFields();
        showTable();
    }
    if (field->setting().live)
        Q_EMIT liveSettingEdited();
}

SettingField *SettingsPanel::field(const QString &key) const
{
    for (SettingField *f : m_controls) {
        if (f->setting().key == key)
            return f;
    }
    return nullptr;
}

SettingsPanel::SettingsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    // Settings by group, in the settings table's order; each setting once.
    QStringList db, faults, workload, l1, l2, cache, phases, warmup, engine;
    const QStringList faultKeys {
        u"db.retries"_s, u"db.retry_backoff"_s, u"db.failure_rate"_s, u"db.stall"_s, u"db.stall_every"_s};
    for (const SettingDef &setting : settingTable()) {
        const QString &key = setting.key;
        if (key == u"db.path"_s || key == u"workload.fields"_s)
            continue; // the file row and the field list below
        QStringList &group = faultKeys.contains(key)                   ? faults
            : key.startsWith(u"db."_s)                                 ? db
            : key.startsWith(u"workload."_s)                           ? workload
            : key.startsWith(u"cache.l1."_s)                           ? l1
            : key.startsWith(u"cache.l2."_s) || key == u"cache.mode"_s ? l2
            : key.startsWith(u"cache."_s)                              ? cache
            : key.startsWith(u"duration."_s)                           ? phases
            : key.startsWith(u"warmup."_s)                             ? warmup
                                                                       : engine;
        group.append(key);
    }

    auto *dbHeader = new QWidget;
    auto *dbLayout = new QHBoxLayout(dbHeader);
    dbLayout->setContentsMargins(0, 0, 0, 0);
    m_database = new QLineEdit;
    m_database->setObjectName(u"databaseFile"_s);
    m_database->setReadOnly(true);
    m_database->setPlaceholderText(tr("demo database"));
    auto *open = new QToolButton;
    open->setText(tr("Open…"));
    open->setObjectName(u"openDatabase"_s);
    connect(open, &QToolButton::clicked, this, &SettingsPanel::chooseDatabase);
    auto *demo = new QToolButton;
    demo->setText(tr("Demo"));
    demo->setToolTip(tr("Use the demo database again"));
    connect(demo, &QToolButton::clicked, this, [this] {
        m_databasePath.clear();
        showDatabase();
        Q_EMIT databaseChosen();
    });
    dbLayout->addWidget(m_database, 1);
    dbLayout->addWidget(open);
    dbLayout->addWidget(demo);
    QWidget *dbBody = makeGroup(layout, QT_TR_NOOP("Database"), db);
    auto *dbForm = static_cast<QFormLayout *>(dbBody->layout());
    m_dbForm = dbForm;
    m_fileRow = dbHeader;
    dbForm->insertRow(0, tr("File"), dbHeader);
    // Which database: a SQLite file (the file row) or a PostgreSQL server (its URL, replicas and
    // the settings only a server has).
    m_databaseKind = new QComboBox;
    m_databaseKind->setObjectName(u"databaseKind"_s);
    m_databaseKind->addItem(tr("SQLite file"));
    m_databaseKind->addItem(tr("PostgreSQL server"));
    m_databaseKind->setToolTip(tipText(tr("Read a SQLite file (the demo database, or one of yours), or a PostgreSQL "
                                          "server with its read replicas")));
    connect(m_databaseKind, &QComboBox::activated, this, &SettingsPanel::chooseDatabaseKind);
    dbForm->insertRow(0, tr("Source"), m_databaseKind);
    m_connectionStatus = new QLabel;
    m_connectionStatus->setObjectName(u"connectionStatus"_s);
    m_connectionStatus->setWordWrap(true);
    m_connectionStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_connectionStatus->hide();
    if (QWidget *replicas = m_rows.value(u"db.replicas"_s)) {
        int row = -1;
        QFormLayout::ItemRole role {};
        dbForm->getWidgetPosition(replicas, &row, &role);
        dbForm->insertRow(row + 1, m_connectionStatus);
    }
    m_schemaNote = new QLabel;
    m_schemaNote->setObjectName(u"schemaNote"_s);
    m_schemaNote->setWordWrap(true);
    m_schemaNote->setStyleSheet(u"QLabel { color: #b3261e; }"_s);
    m_schemaNote->hide();
    dbForm->insertRow(3, m_schemaNote);

    makeGroup(layout, QT_TR_NOOP("Database faults"), faults, false);
    QWidget *workloadBody = makeGroup(layout, QT_TR_NOOP("Workload"), workload);
    m_fieldList = new QListWidget;
    m_fieldList->setObjectName(u"fieldList"_s);
    m_fieldList->setFixedHeight(96); // a fixed size: the panel must not move while a run starts
    m_fieldList->setToolTip(tipText(tr("The projection: the columns each read selects (the key column always). "
                                       "All checked = full rows; fewer = a transfer-reduction measurement.")));
    static_cast<QFormLayout *>(workloadBody->layout())->addRow(tr("Fields"), m_fieldList);
    makeGroup(layout, QT_TR_NOOP("Cache L1"), l1);
    makeGroup(layout, QT_TR_NOOP("Cache L2"), l2);
    makeGroup(layout, QT_TR_NOOP("Cache behaviour"), cache, false);
    makeGroup(layout, QT_TR_NOOP("Phases"), phases);
    QWidget *warmupBody = makeGroup(layout, QT_TR_NOOP("Warm-up"), warmup);
    m_saveHotSet = new QPushButton(tr("Save hot set now"));
    m_saveHotSet->setObjectName(u"saveHotSet"_s);
    m_saveHotSet->setToolTip(
        tipText(tr("Write the hot keys the running cached phase has seen to the snapshot (every run "
                   "also saves it at its end)")));
    connect(m_saveHotSet, &QPushButton::clicked, this, &SettingsPanel::saveHotSetRequested);
    static_cast<QFormLayout *>(warmupBody->layout())->addRow(QString(), m_saveHotSet);
    makeGroup(layout, QT_TR_NOOP("Engine"), engine, false);
    makeCriteria(layout);

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
        if (qobject_cast<QComboBox *>(w) || qobject_cast<QListWidget *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }
    panel->setMinimumWidth(330);

    connect(&m_schemaWatcher, &QFutureWatcher<Schema>::finished, this, &SettingsPanel::showSchema);
    connect(&m_checkWatcher, &QFutureWatcher<ConnectionCheck>::finished, this, &SettingsPanel::showConnectionCheck);
    showDatabaseKind();
}

const QStringList &SettingsPanel::serverKeys()
{
    static const QStringList keys {u"db.url"_s, u"db.replicas"_s, u"db.replica_reads"_s, u"db.primary_after_write"_s,
        u"db.pipeline_depth"_s, u"db.timeout"_s};
    return keys;
}

bool SettingsPanel::isServer() const
{
    return m_databaseKind->currentIndex() == 1;
}

void SettingsPanel::showDatabaseKind()
{
    const bool server = isServer();
    m_dbForm->setRowVisible(m_fileRow, !server);
    for (const QString &key : serverKeys()) {
        if (QWidget *row = m_rows.value(key))
            m_dbForm->setRowVisible(row, server);
    }
    if (!server)
        m_connectionStatus->hide();
    m_dbForm->setRowVisible(m_connectionStatus, server && !m_connectionStatus->text().isEmpty());
}

void SettingsPanel::chooseDatabaseKind()
{
    SettingField *url = field(u"db.url"_s);
    const QString current = std::get<QString>(url->value());
    const bool server = isServer();
    if (server == !current.isEmpty()) {
        showDatabaseKind();
        return;
    }
    // A URL set aside while the file is read comes back when the server is chosen again.
    m_filling = true;
    if (server) {
        url->setValue(m_setAsideUrl);
    } else {
        m_setAsideUrl = current;
        url->setValue(QString());
    }
    m_filling = false;
    m_connectionStatus->clear();
    showDatabaseKind();
    if (server && m_setAsideUrl.isEmpty())
        url->lineEdit()->setFocus();
    showDatabase();
    Q_EMIT databaseChosen();
}

void SettingsPanel::testConnection()
{
    if (m_checkWatcher.isRunning())
        return; // the answer to the last click comes first
    DataSourceSpec spec = scenario().dataSource();
    if (!spec.isServer()) {
        showStatus(tr("Enter the server's URL first (postgresql://user@host:port/database)."), true);
        return;
    }
    showStatus(tr("Connecting to %1…").arg(DataSourceSpec::maskUrl(spec.url)), false);
    m_checkWatcher.setFuture(QtConcurrent::run([spec] { return checkConnection(spec); }));
}

void SettingsPanel::showConnectionCheck()
{
    const ConnectionCheck check = m_checkWatcher.result();
    if (!check.error.isEmpty()) {
        showStatus(check.error, true);
        return;
    }
    QStringList lines {tr("Connected: %1; tables: %2.").arg(check.server).arg(check.tables)};
    bool problem = false;
    for (const ConnectionCheck::Replica &r : check.replicas) {
        if (!r.error.isEmpty()) {
            lines << tr("Replica %1: %2").arg(r.url, r.error);
            problem = true;
        } else if (!r.inRecovery) {
            lines << tr("Replica %1: %2, but a primary, not a replica: it is not kept in step with the server")
                         .arg(r.url, r.server);
            problem = true;
        } else {
            lines << tr("Replica %1: %2, %3 s behind").arg(r.url, r.server, QString::number(r.lagSeconds, 'f', 3));
        }
    }
    showStatus(lines.join(u'\n'), problem);
}

void SettingsPanel::showStatus(const QString &text, bool problem)
{
    m_connectionStatus->setText(text);
    m_connectionStatus->setStyleSheet(problem ? u"QLabel { color: #b3261e; }"_s : u"QLabel { color: #146c2e; }"_s);
    m_dbForm->setRowVisible(m_connectionStatus, isServer());
}

SettingsPanel::~SettingsPanel()
{
    m_schemaWatcher.waitForFinished();
    m_checkWatcher.waitForFinished();
}

void SettingsPanel::chooseDatabase()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a SQLite database"), QString(), tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (file.isEmpty())
        return;
    m_databasePath = file;
    showDatabase();
    Q_EMIT databaseChosen();
}

void SettingsPanel::chooseFile(SettingField *field)
{
    const QString current = std::get<QString>(field->value());
    const QString file = QFileDialog::getOpenFileName(this, labelFor(field->setting().key), current);
    if (file.isEmpty())
        return;
    field->lineEdit()->setText(file);
    field->commitText();
}

void SettingsPanel::showDatabase()
{
    const QString url = std::get<QString>(field(u"db.url"_s)->value());
    const bool demo = m_databasePath.isEmpty();
    const QString path = demo ? DemoDatabase::defaultPath() : m_databasePath;
    if (!url.isEmpty()) {
        // A server (db.url) replaces the file: its tables are read from its catalogue.
        m_database->setText(tr("%1 (PostgreSQL)").arg(DataSourceSpec::maskUrl(url)));
        m_database->setToolTip(tipText(tr("The PostgreSQL server of db.url. Its connections are read-only on the "
                                          "server unless the workload writes; the password is never shown or saved "
                                          "in a result.")));
    } else {
        m_database->setText(QFileInfo(path).fileName() + (demo ? tr(" (demo)") : QString()));
        // What a read-only run does to the file, said where the user picks it.
        m_database->setToolTip(tipText(path
            + tr("\n\nOpened read-only unless the workload writes. SQLite adds -wal and -shm files beside a "
                 "database in WAL mode while it is read; CacheScope writes nothing else there.")));
    }
    if (m_columnsShown)
        m_fields = checkedFields();
    m_columnsShown = false;
    m_schemaRead = false;
    m_schema = {};
    m_tableProblem.clear();
    m_schemaNote->hide();
    m_fieldList->clear();
    DataSourceSpec spec = scenario().dataSource();
    spec.path = path;
    if (spec.isServer() || QFile::exists(path))
        loadSchema(spec);
}

void SettingsPanel::loadSchema(const DataSourceSpec &spec)
{
    if (m_schemaWatcher.isRunning()) {
        // A server may take up to db.timeout to answer: never wait for it here; the newest
        // database is read once the one being read has answered.
        m_pendingSchema = spec;
        return;
    }
    m_schemaWatcher.setFuture(QtConcurrent::run([spec]() -> Schema {
        try {
            return {listTables(spec), {}};
        } catch (const std::exception &error) {
            return {{}, QString::fromUtf8(error.what())};
        }
    }));
}

void SettingsPanel::showSchema()
{
    if (m_pendingSchema) {
        const DataSourceSpec next = *std::exchange(m_pendingSchema, std::nullopt);
        loadSchema(next); // what was read is for a database no longer chosen
        return;
    }
    m_schema = m_schemaWatcher.result();
    m_schemaRead = true;
    SettingField *table = field(u"db.table"_s);
    QStringList names;
    for (const TableChoice &t : std::as_const(m_schema.tables))
        names << t.name;
    table->setSuggestions(names);
    // A file without the scenario's table (a user's own database opened on the default
    // "products"): the first table that can be read by a key is chosen for them.
    const QString current = std::get<QString>(table->value());
    if (!names.contains(current)) {
        for (const TableChoice &t : std::as_const(m_schema.tables)) {
            if (!t.keys.isEmpty()) {
                m_filling = true;
                table->setValue(t.name);
                field(u"db.key"_s)->setValue(t.keys.first());
                m_filling = false;
                m_fields.clear();
                break;
            }
        }
    }
    showTable();
}

void SettingsPanel::showTable()
{
    m_fieldList->clear();
    m_columnsShown = false;
    m_tableProblem.clear();
    const QString tableName = std::get<QString>(field(u"db.table"_s)->value());
    SettingField *keyField = field(u"db.key"_s);
    const TableChoice *table = nullptr;
    for (const TableChoice &t : std::as_const(m_schema.tables)) {
        if (t.name == tableName)
            table = &t;
    }
    if (!m_schema.error.isEmpty()) {
        m_tableProblem = tr("Cannot read the database: %1").arg(m_schema.error);
    } else if (!table) {
        m_tableProblem = m_schema.tables.isEmpty() ? tr("The database has no tables.")
                                                   : tr("Table '%1' is not in this database.").arg(tableName);
    } else if (table->keys.isEmpty()) {
        m_tableProblem = table->noKeyReason + u'.';
        keyField->setSuggestions({});
    } else {
        keyField->setSuggestions(table->keys);
        const QString key = std::get<QString>(keyField->value());
        if (!table->keys.contains(key)) {
            m_filling = true;
            keyField->setValue(table->keys.first());
            m_filling = false;
        }
    }
    m_schemaNote->setText(m_tableProblem);
    m_schemaNote->setVisible(!m_tableProblem.isEmpty());
    if (!m_tableProblem.isEmpty()) {
        Q_EMIT problemFound(m_tableProblem);
        return;
    }
    const QString key = std::get<QString>(keyField->value());
    QStringList wanted;
    for (const QString &f : m_fields.split(u',', Qt::SkipEmptyParts)) {
        if (table->columns.contains(f.trimmed()))
            wanted << f.trimmed();
    }
    const bool all = wanted.isEmpty();
    for (const QString &name : table->columns) {
        auto *item = new QListWidgetItem(name, m_fieldList);
        const bool isKey = name == key;
        item->setFlags(isKey ? Qt::ItemIsUserCheckable : Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(all || isKey || wanted.contains(name) ? Qt::Checked : Qt::Unchecked);
        if (isKey)
            item->setToolTip(tr("the key column: always read"));
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

void SettingsPanel::makeCriteria(QVBoxLayout *layout)
{
    QWidget *body = makeGroup(layout, QT_TR_NOOP("Criteria"), {}, false);
    auto *form = static_cast<QFormLayout *>(body->layout());
    for (const KpiDef &k : kpiTable()) {
        CriterionRow row;
        row.kpi = k.key;
        row.judged = new QCheckBox(coreText("Kpi", k.title));
        row.judged->setObjectName(u"criterion_"_s + k.key);
        row.judged->setToolTip(tipText(tr("Judge the run on this: %1").arg(coreText("Kpi", k.help))));
        row.op = new QComboBox;
        row.op->setObjectName(u"criterion_"_s + k.key + u"_op"_s);
        row.op->addItem(u"≥"_s, u">="_s);
        row.op->addItem(u"≤"_s, u"<="_s);
        row.target = new QLineEdit;
        row.target->setObjectName(u"criterion_"_s + k.key + u"_target"_s);
        switch (k.unit) {
        case KpiUnit::Multiple:
            row.target->setPlaceholderText(tr("e.g. 5"));
            row.target->setToolTip(tr("A multiple: 5 means 5×"));
            break;
        case KpiUnit::Milliseconds:
            row.target->setPlaceholderText(tr("e.g. 5"));
            row.target->setToolTip(tr("Milliseconds: 5 means 5 ms"));
            break;
        case KpiUnit::PerSecond:
            row.target->setPlaceholderText(tr("e.g. 50000"));
            row.target->setToolTip(tr("Requests per second"));
            break;
        case KpiUnit::Share:
            row.target->setPlaceholderText(k.better == Better::Lower ? tr("e.g. 1") : tr("e.g. 90"));
            row.target->setToolTip(tr("A percentage: 99 means 99 %"));
            break;
        }
        row.error = new QLabel;
        row.error->setObjectName(u"criterion_"_s + k.key + u"_error"_s);
        row.error->setStyleSheet(u"QLabel { color: #b3261e; }"_s);
        row.error->setWordWrap(true);
        row.error->hide();
        auto *line = new QWidget;
        auto *h = new QHBoxLayout(line);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(row.op);
        h->addWidget(row.target, 1);
        h->addWidget(new QLabel(k.unitSymbol()));
        form->addRow(row.judged, line);
        form->addRow(QString(), row.error);
        const auto enable = [row] {
            row.op->setEnabled(row.judged->isChecked());
            row.target->setEnabled(row.judged->isChecked());
        };
        connect(row.judged, &QCheckBox::toggled, this, enable);
        connect(row.target, &QLineEdit::editingFinished, this, [this, kpi = k.key] {
            for (const CriterionRow &r : m_criteria) {
                if (r.kpi == kpi)
                    criterionTarget(r);
            }
        });
        enable();
        m_criteria.push_back(row);
    }
}

std::optional<double> SettingsPanel::criterionTarget(const CriterionRow &row) const
{
    const KpiDef *def = findKpi(row.kpi);
    bool ok = false;
    const double plain = row.target->text().trimmed().toDouble(&ok);
    QString why;
    if (!ok)
        why = tr("%1: '%2' is not a number").arg(coreText("Kpi", def->title), row.target->text());
    else if (def->unit == KpiUnit::Share && (plain < 0 || plain > 100))
        why = tr("%1: a percentage from 0 to 100, not %2").arg(coreText("Kpi", def->title)).arg(plain);
    else if (def->unit == KpiUnit::Multiple && plain < 0)
        why = tr("%1: a multiple ≥ 0, not %2").arg(coreText("Kpi", def->title)).arg(plain);
    else if (plain < 0)
        why = tr("%1: a value ≥ 0, not %2").arg(coreText("Kpi", def->title)).arg(plain);
    row.error->setText(why);
    row.error->setVisible(!why.isEmpty());
    row.target->setStyleSheet(why.isEmpty() ? QString() : u"QLineEdit { border: 1px solid #b3261e; }"_s);
    if (!why.isEmpty())
        return std::nullopt;
    return plain / def->shownScale();
}

void SettingsPanel::setScenario(const Scenario &s)
{
    m_baseScenario = s;
    m_databasePath = s.db.path;
    m_filling = true;
    for (SettingField *f : m_controls)
        f->setValue(f->setting().get(s));
    m_filling = false;
    m_fields = s.workload.fields; // shown when the table's columns have been read
    m_columnsShown = false;
    m_databaseKind->setCurrentIndex(s.db.url.isEmpty() ? 0 : 1);
    m_connectionStatus->clear();
    showDatabaseKind();
    // The criteria: the first one on each KPI has its row (further ones are kept as they are).
    for (CriterionRow &row : m_criteria) {
        const KpiDef *def = findKpi(row.kpi);
        auto it = std::find_if(
            s.criteria.cbegin(), s.criteria.cend(), [&row](const Criterion &c) { return c.kpi == row.kpi; });
        const bool judged = it != s.criteria.cend();
        row.name = judged ? it->name : def->title.toLower();
        row.judged->setChecked(judged);
        row.op->setCurrentIndex((judged ? it->op == u"<="_s : def->better == Better::Lower) ? 1 : 0);
        row.target->setText(judged ? QString::number(it->target * def->shownScale(), 'g', 12) : QString());
        row.shown = row.target->text();
        row.given = judged ? it->target : 0.0;
        row.error->hide();
        row.target->setStyleSheet(QString());
    }
    showDatabase();
}

Scenario SettingsPanel::scenario() const
{
    // workload.fields comes from the field list; what the panel does not show (criteria,
    // scheduled changes) from the last scenario given to setScenario().
    Scenario s = m_baseScenario;
    s.db.path = m_databasePath;
    for (const SettingField *f : m_controls)
        f->setting().put(s, f->value());
    // Until the columns are read, the fields are those last given.
    s.workload.fields = m_columnsShown ? checkedFields() : m_fields;
    // The criteria rows over the given criteria: a row's KPI judged by its row, in the given
    // order; further criteria on a KPI kept; rows newly ticked appended.
    QList<Criterion> criteria;
    QStringList seen;
    const auto fromRow = [this](const QString &kpi) -> std::optional<Criterion> {
        for (const CriterionRow &row : m_criteria) {
            if (row.kpi != kpi)
                continue;
            if (!row.judged->isChecked())
                return std::nullopt;
            bool ok = false;
            const double value = row.target->text().trimmed().toDouble(&ok);
            const KpiDef *def = findKpi(kpi);
            // Unedited, the target is the one given (no round trip through percent).
            const double target = row.target->text() == row.shown ? row.given : (ok ? value / def->shownScale() : 0.0);
            // What the row does not show (the least data for a verdict) stays as given.
            Criterion c;
            const auto given = std::find_if(m_baseScenario.criteria.cbegin(), m_baseScenario.criteria.cend(),
                [&kpi](const Criterion &g) { return g.kpi == kpi; });
            if (given != m_baseScenario.criteria.cend())
                c = *given;
            c.name = row.name;
            c.kpi = kpi;
            c.op = row.op->currentData().toString();
            c.target = target;
            return c;
        }
        return std::nullopt;
    };
    for (const Criterion &c : m_baseScenario.criteria) {
        if (seen.contains(c.kpi)) {
            criteria.append(c);
            continue;
        }
        seen.append(c.kpi);
        if (const std::optional<Criterion> edited = fromRow(c.kpi))
            criteria.append(*edited);
    }
    for (const CriterionRow &row : m_criteria) {
        if (!seen.contains(row.kpi)) {
            if (const std::optional<Criterion> added = fromRow(row.kpi))
                criteria.append(*added);
        }
    }
    s.criteria = criteria;
    return s;
}

QStringList SettingsPanel::problems()
{
    QStringList found;
    for (SettingField *f : m_controls) {
        if (f->isEnabled() && !f->commitText())
            found << f->error();
    }
    if (!m_tableProblem.isEmpty())
        found << m_tableProblem;
    for (const CriterionRow &row : m_criteria) {
        if (row.judged->isChecked() && !criterionTarget(row)) {
            found << row.error->text();
            // A refused target is shown, even in a folded group.
            if (auto *header = findChild<QToolButton *>(u"group_"_s + tr("Criteria")))
                header->setChecked(true);
        }
    }
    return found;
}

void SettingsPanel::setRunning(bool running)
{
    // The settings the table marks live stay editable during a run (each edit is a ConfigChange);
    // the others, and the fields, are fixed once it starts.
    for (SettingField *f : m_controls) {
        f->setEnabled(!running || f->setting().live);
        if (running && !f->setting().live)
            f->setToolTip(tr("Fixed during a run: it applies to the next one."));
        else
            f->setToolTip(QString());
    }
    m_fieldList->setEnabled(!running);
    m_saveHotSet->setEnabled(running);
    // The run is judged on the criteria it started with.
    for (const CriterionRow &row : m_criteria) {
        row.judged->setEnabled(!running);
        row.op->setEnabled(!running && row.judged->isChecked());
        row.target->setEnabled(!running && row.judged->isChecked());
    }
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
