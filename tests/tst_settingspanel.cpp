// The settings panel: every setting of the settings table has a control, and every value goes in
// and comes back out unchanged; the controls that apply mid-run say so when they change and stay
// enabled during a run, the others stay silent and are locked; typed values are read as the
// command line reads them and a refused one is named and kept, never clamped or reverted; the
// database's tables and keys become the selectors and its columns the projection's field list.
#include "core/db/database.h"
#include "core/db/demodatabase.h"
#include "pgsandbox.h"
#include "ui/settingfield.h"
#include "ui/settingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestSettingsPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<PgSandbox> m_server; // started by the first test that needs a server

    PgSandbox &server()
    {
        if (!m_server) {
            m_server = std::make_unique<PgSandbox>(true);
            if (!m_server->replicaUrl().isEmpty())
                DemoDatabase::createOnServer(m_server->url(), 300, 3);
        }
        return *m_server;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"panel.db"_s);
        DemoDatabase::create(m_db, 200, 5);
    }
    void cleanupTestCase() { m_server.reset(); }

    // The database chooser: a SQLite file shows the file row, a PostgreSQL server its URL,
    // replicas and server settings; the server's tables and columns fill the selectors; "Test"
    // says what the server and each replica are, never with a password; a URL set aside while
    // the file is chosen comes back with the server.
    void databaseChooserReadsAndTestsAServer_data()
    {
        QTest::addColumn<QString>("replicas"); // "replica", "primary", "closed", "none"
        QTest::addColumn<QString>("says");
        QTest::addColumn<bool>("problem");
        QTest::addRow("a streaming replica") << u"replica"_s << u"s behind"_s << false;
        QTest::addRow("the primary named as a replica") << u"primary"_s << u"not a replica"_s << true;
        QTest::addRow("a replica nothing listens on") << u"closed"_s << u"Replica "_s << true;
        QTest::addRow("a wrong password") << u"none"_s << u"password"_s << true;
    }
    void databaseChooserReadsAndTestsAServer()
    {
        QFETCH(QString, replicas);
        QFETCH(QString, says);
        QFETCH(bool, problem);
        PgSandbox &pg = server();
        QVERIFY2(!pg.replicaUrl().isEmpty(), qPrintable(pg.error()));
        SettingsPanel panel;
        Scenario s;
        s.db.path = m_db;
        panel.setScenario(s);
        panel.show();
        auto *kind = panel.findChild<QComboBox *>(u"databaseKind"_s);
        auto *url = panel.findChild<SettingField *>(u"db.url"_s);
        auto *file = panel.findChild<QLineEdit *>(u"databaseFile"_s);
        QVERIFY(kind && url && file);
        QCOMPARE(kind->currentIndex(), 0);
        QVERIFY(file->isVisibleTo(&panel) && !url->isVisibleTo(&panel));

        kind->setCurrentIndex(1);
        Q_EMIT kind->activated(1);
        QVERIFY(!file->isVisibleTo(&panel) && url->isVisibleTo(&panel));
        QVERIFY(panel.findChild<SettingField *>(u"db.replicas"_s)->isVisibleTo(&panel));
        const bool wrongPassword = replicas == u"none"_s;
        const QString serverUrl = wrongPassword ? pg.urlFor(u"cachescope"_s, u"not-the-password"_s) : pg.url();
        url->lineEdit()->setText(serverUrl);
        url->commitText();
        if (!wrongPassword) {
            // The server's catalogue fills the table selector and the field list.
            auto *fields = panel.findChild<QListWidget *>(u"fieldList"_s);
            QTRY_COMPARE_WITH_TIMEOUT(fields->count(), 25, 10000);
        }
        const QString replicaUrl = replicas == u"replica"_s ? pg.replicaUrl()
            : replicas == u"primary"_s                      ? pg.url()
            : replicas == u"closed"_s
            ? u"postgresql://cachescope@127.0.0.1:%1/cachescope?connect_timeout=2"_s.arg(pg.port() + 7)
            : QString();
        auto *replicaField = panel.findChild<SettingField *>(u"db.replicas"_s);
        replicaField->lineEdit()->setText(replicaUrl);
        replicaField->commitText();
        QCOMPARE(panel.scenario().db.url, serverUrl);

        auto *test = panel.findChild<QToolButton *>(u"testConnection"_s);
        auto *status = panel.findChild<QLabel *>(u"connectionStatus"_s);
        QVERIFY(test && status);
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(!status->text().startsWith(u"Connecting"_s) && !status->text().isEmpty(), 20000);
        QVERIFY2(status->text().contains(says), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(pg.password()) && !status->text().contains(u"not-the-password"_s),
            qPrintable(status->text()));
        QCOMPARE(status->styleSheet().contains(u"#b3261e"_s), problem);
        QVERIFY(status->isVisibleTo(&panel));
        if (!wrongPassword)
            QVERIFY2(status->text().contains(u"Connected: PostgreSQL 15"_s), qPrintable(status->text()));

        // Back to the file: the server is set aside (not in the scenario), and comes back.
        kind->setCurrentIndex(0);
        Q_EMIT kind->activated(0);
        QVERIFY(panel.scenario().db.url.isEmpty());
        QVERIFY(file->isVisibleTo(&panel) && !url->isVisibleTo(&panel) && !status->isVisibleTo(&panel));
        kind->setCurrentIndex(1);
        Q_EMIT kind->activated(1);
        QCOMPARE(panel.scenario().db.url, serverUrl);
    }

    void scenarioRoundTrips_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::addRow("defaults") << QStringList {};
        QTest::addRow("workload") << QStringList {
            u"workload.concurrency=7"_s, u"workload.keys=1234"_s, u"workload.zipf=1.2"_s, u"workload.seed=99"_s};
        QTest::addRow("tiers") << QStringList {u"cache.l1.capacity=300"_s, u"cache.l1.ttl=1500ms"_s,
            u"cache.l1.policy=wtinylfu"_s, u"cache.l2.capacity=3000"_s, u"cache.l2.ttl=2m"_s,
            u"cache.l2.policy=sieve"_s, u"cache.mode=exclusive"_s};
        QTest::addRow("settings the old panel did not show") << QStringList {u"db.rtt=2ms"_s,
            u"workload.distribution=hotspot"_s, u"workload.hot_keys=0.1"_s, u"workload.model=open"_s,
            u"workload.rate=1234.5"_s, u"workload.read_ratio=0.9"_s, u"cache.batch_loads=true"_s,
            u"warmup.strategy=query"_s, u"warmup.order_by=price desc"_s, u"warmup.keys_file=/tmp/k.txt"_s,
            u"engine.workers=2"_s, u"cache.l1.max_bytes=5000000000"_s, u"workload.zipf=0"_s};
        QTest::addRow("phases, warm-up, fields") << QStringList {u"duration.baseline=2s"_s, u"duration.cached=7s"_s,
            u"warmup.strategy=top-n"_s, u"warmup.keys=500"_s, u"workload.fields=id,name"_s};
    }
    void scenarioRoundTrips()
    {
        QFETCH(QStringList, settings);
        Scenario s;
        s.db.path = m_db;
        for (const QString &setting : settings)
            s.applyAssignment(setting);
        SettingsPanel panel;
        panel.setScenario(s);
        QVERIFY(panel.scenario() == s);
        // Once the columns are read, the checked ones are the scenario's fields.
        auto *fields = panel.findChild<QListWidget *>(u"fieldList"_s);
        QTRY_VERIFY_WITH_TIMEOUT(fields->count() > 0, 10000);
        QVERIFY(panel.scenario() == s);
    }

    // The acceptance criteria are edited in the panel: a target in the KPI's own unit (percent or
    // ×), ≥ or ≤, judged or not, one a default does not judge added; a bad target is refused by
    // name; criteria the panel has no row for (a second one on a KPI) are kept.
    void criteriaAreEditable_data()
    {
        QTest::addColumn<QString>("kpi");
        QTest::addColumn<bool>("judged");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("target");
        QTest::addColumn<double>("expected"); // the criterion's target; -1: refused
        QTest::newRow("hit rate to 95 %") << u"hit_rate"_s << true << u"≥"_s << u"95"_s << 0.95;
        QTest::newRow("throughput to 3x") << u"throughput_ratio"_s << true << u"≥"_s << u"3"_s << 3.0;
        QTest::newRow("p99 reduction added") << u"p99_reduction"_s << true << u"≥"_s << u"30"_s << 0.30;
        QTest::newRow("at most, then") << u"db_query_reduction"_s << true << u"≤"_s << u"99.5"_s << 0.995;
        QTest::newRow("cold start not judged") << u"cold_start_reduction"_s << false << u"≥"_s << u"50"_s << 0.0;
        QTest::newRow("not a number") << u"hit_rate"_s << true << u"≥"_s << u"most"_s << -1.0;
        QTest::newRow("a share over 100 %") << u"hit_rate"_s << true << u"≥"_s << u"120"_s << -1.0;
        QTest::newRow("a negative multiple") << u"throughput_ratio"_s << true << u"≥"_s << u"-2"_s << -1.0;
    }
    void criteriaAreEditable()
    {
        QFETCH(QString, kpi);
        QFETCH(bool, judged);
        QFETCH(QString, op);
        QFETCH(QString, target);
        QFETCH(double, expected);
        Scenario s;
        s.db.path = m_db;
        s.criteria.append(
            Criterion {u"throughput at most 10x"_s, u"throughput_ratio"_s, u"<="_s, 10.0}); // a second one
        SettingsPanel panel;
        panel.setScenario(s);
        QVERIFY(panel.scenario() == s); // untouched, the criteria come back as given
        auto *check = panel.findChild<QCheckBox *>(u"criterion_"_s + kpi);
        auto *opBox = panel.findChild<QComboBox *>(u"criterion_"_s + kpi + u"_op"_s);
        auto *edit = panel.findChild<QLineEdit *>(u"criterion_"_s + kpi + u"_target"_s);
        QVERIFY(check && opBox && edit);
        check->setChecked(judged);
        opBox->setCurrentText(op);
        edit->setText(target);
        const QStringList problems = panel.problems();
        const Scenario out = panel.scenario();
        const auto found = std::find_if(
            out.criteria.cbegin(), out.criteria.cend(), [&kpi](const Criterion &c) { return c.kpi == kpi; });
        if (expected < 0) {
            QCOMPARE(problems.size(), 1);
            QVERIFY2(problems.first().contains(target), qPrintable(problems.first()));
            QVERIFY(panel.findChild<QLabel *>(u"criterion_"_s + kpi + u"_error"_s)->isVisibleTo(&panel));
            return;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
        QCOMPARE(found != out.criteria.cend(), judged);
        if (judged) {
            QCOMPARE(found->target, expected);
            QCOMPARE(found->op, op == u"≤"_s ? u"<="_s : u">="_s);
        }
        // The second throughput criterion stays, whatever the row did.
        QVERIFY(std::any_of(out.criteria.cbegin(), out.criteria.cend(),
            [](const Criterion &c) { return c.name == u"throughput at most 10x"_s && c.target == 10.0; }));
        // Locked during a run: the run is judged on what it started with.
        panel.setRunning(true);
        QVERIFY(!check->isEnabled() && !edit->isEnabled());
    }

    // Every setting of the table but the file and the field list (shown their own way) has a
    // field named after its key.
    void everySettingHasAField()
    {
        SettingsPanel panel;
        for (const SettingDef &setting : settingTable()) {
            if (setting.key == u"db.path"_s || setting.key == u"workload.fields"_s)
                continue;
            QVERIFY2(panel.field(setting.key), qPrintable(setting.key));
            QCOMPARE(panel.findChild<SettingField *>(setting.key), panel.field(setting.key));
        }
    }

    void liveControlsSayTheyChanged_data()
    {
        QTest::addColumn<QString>("control");
        QTest::addColumn<bool>("live");
        // Every control is live exactly when the table says so.
        SettingsPanel panel;
        for (const SettingDef &setting : settingTable()) {
            if (SettingField *f = panel.field(setting.key); f && setting.kind != SettingKind::Text)
                QTest::addRow("%s", qPrintable(setting.key)) << setting.key << setting.live;
        }
    }
    void liveControlsSayTheyChanged()
    {
        QFETCH(QString, control);
        QFETCH(bool, live);
        SettingsPanel panel;
        QSignalSpy edited(&panel, &SettingsPanel::liveSettingEdited);
        SettingField *field = panel.field(control);
        QVERIFY2(field, qPrintable(control));
        if (QComboBox *combo = field->comboBox())
            combo->setCurrentIndex((combo->currentIndex() + 1) % combo->count());
        else // a click on the step button, as a user makes it
            QTest::mouseClick(field->findChild<QToolButton *>(control + u"_up"_s), Qt::LeftButton);
        QCOMPARE(edited.count(), live ? 1 : 0);
        panel.setRunning(true);
        QCOMPARE(field->isEnabled(), live);
        panel.setRunning(false);
        QVERIFY(field->isEnabled());
    }

    // What is typed is read as the command line reads it: units on durations, the value shown
    // back in its shortest form, and a value that takes effect is committed once.
    void typedValuesReadAsOnTheCommandLine_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("setting"); // the scenario's text form of it
        QTest::addRow("ttl in minutes") << u"cache.l1.ttl"_s << u"5m"_s << u"5m"_s << u"5m"_s;
        QTest::addRow("ttl in seconds, bare") << u"cache.l1.ttl"_s << u"0.0005"_s << u"500us"_s << u"500us"_s;
        QTest::addRow("ttl of hours") << u"cache.l2.ttl"_s << u"36h"_s << u"36h"_s << u"36h"_s;
        QTest::addRow("microseconds") << u"db.rtt"_s << u"250us"_s << u"250us"_s << u"250us"_s;
        QTest::addRow("integer with separators") << u"cache.l1.capacity"_s << u"30,000"_s << u"30000"_s << u"30000"_s;
        QTest::addRow("byte limit above INT_MAX")
            << u"cache.l1.max_bytes"_s << u"5000000000"_s << u"5000000000"_s << u"5000000000"_s;
        QTest::addRow("share") << u"workload.hot_keys"_s << u"0.05"_s << u"0.05"_s << u"0.05"_s;
    }
    void typedValuesReadAsOnTheCommandLine()
    {
        QFETCH(QString, key);
        QFETCH(QString, typed);
        QFETCH(QString, shown);
        QFETCH(QString, setting);
        SettingsPanel panel;
        SettingField *field = panel.field(key);
        QSignalSpy committed(field, &SettingField::committed);
        field->lineEdit()->setText(typed);
        QVERIFY(field->commitText());
        QCOMPARE(field->lineEdit()->text(), shown);
        QCOMPARE(committed.count(), 1);
        QVERIFY(field->error().isEmpty());
        QCOMPARE(settingText(panel.scenario(), key), setting);
    }

    // A value out of range or malformed is refused where it was typed: the text stays, the
    // reason (naming the setting and its range) shows beneath it, the scenario keeps the last
    // good value, and problems() names it so Run can refuse to start.
    void refusedValuesStayWithTheirReason_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("reason");
        QTest::addRow("too many clients") << u"workload.concurrency"_s << u"99999"_s << u"between 1 and 4096"_s;
        QTest::addRow("no clients") << u"workload.concurrency"_s << u"0"_s << u"between 1 and 4096"_s;
        QTest::addRow("not a number") << u"cache.l1.capacity"_s << u"abc"_s << u"expected an integer"_s;
        QTest::addRow("a fraction of an entry") << u"cache.l1.capacity"_s << u"10.5"_s << u"expected an integer"_s;
        QTest::addRow("duration without a number") << u"cache.l1.ttl"_s << u"soon"_s << u"expected a duration"_s;
        QTest::addRow("negative duration") << u"db.rtt"_s << u"-5ms"_s << u"expected a duration"_s;
        QTest::addRow("share above 1") << u"workload.read_ratio"_s << u"1.5"_s << u"between 0 and 1"_s;
    }
    void refusedValuesStayWithTheirReason()
    {
        QFETCH(QString, key);
        QFETCH(QString, typed);
        QFETCH(QString, reason);
        SettingsPanel panel;
        panel.show();
        const Scenario before = panel.scenario();
        SettingField *field = panel.field(key);
        QSignalSpy committed(field, &SettingField::committed);
        QSignalSpy refused(field, &SettingField::refused);
        field->lineEdit()->setText(typed);
        QVERIFY(!field->commitText());
        QCOMPARE(field->lineEdit()->text(), typed); // not clamped, not reverted
        QCOMPARE(committed.count(), 0);
        QCOMPARE(refused.count(), 1);
        QVERIFY2(
            field->error().startsWith(key + u": "_s) && field->error().contains(reason), qPrintable(field->error()));
        const auto *label = field->findChild<QLabel *>(key + u"_error"_s);
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), field->error());
        QVERIFY(panel.scenario() == before);
        QCOMPARE(panel.problems(), QStringList {field->error()});
        // Fixing it clears the reason.
        field->lineEdit()->setText(settingText(before, key));
        QVERIFY(field->commitText());
        QVERIFY(!label->isVisible());
        QVERIFY(panel.problems().isEmpty());
    }

    // The step buttons and the Up/Down keys step along values worth keeping, within the range.
    void stepsStayInRange_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("from");
        QTest::addColumn<int>("steps");
        QTest::addColumn<QString>("to");
        QTest::addRow("clients up") << u"workload.concurrency"_s << u"16"_s << 1 << u"17"_s;
        QTest::addRow("clients at the top") << u"workload.concurrency"_s << u"4096"_s << 1 << u"4096"_s;
        QTest::addRow("clients at the bottom") << u"workload.concurrency"_s << u"1"_s << -1 << u"1"_s;
        QTest::addRow("capacity by its magnitude") << u"cache.l1.capacity"_s << u"20000"_s << 1 << u"21000"_s;
        QTest::addRow("capacity down from 100") << u"cache.l1.capacity"_s << u"100"_s << -1 << u"99"_s;
        QTest::addRow("ttl up the ladder") << u"cache.l1.ttl"_s << u"1m"_s << 1 << u"2m"_s;
        QTest::addRow("ttl from between two steps") << u"cache.l1.ttl"_s << u"70s"_s << -1 << u"1m"_s;
        QTest::addRow("ttl down to none") << u"cache.l1.ttl"_s << u"1us"_s << -1 << u"0s"_s;
        QTest::addRow("share by a hundredth") << u"workload.hot_keys"_s << u"0.2"_s << 1 << u"0.21"_s;
        QTest::addRow("share at the top") << u"workload.read_ratio"_s << u"1"_s << 1 << u"1"_s;
    }
    void stepsStayInRange()
    {
        QFETCH(QString, key);
        QFETCH(QString, from);
        QFETCH(int, steps);
        QFETCH(QString, to);
        SettingsPanel panel;
        SettingField *field = panel.field(key);
        field->lineEdit()->setText(from);
        QVERIFY(field->commitText());
        field->lineEdit()->setFocus();
        for (int i = 0; i < std::abs(steps); ++i)
            QTest::keyClick(field->lineEdit(), steps > 0 ? Qt::Key_Up : Qt::Key_Down);
        QCOMPARE(field->lineEdit()->text(), to);
        QCOMPARE(settingText(panel.scenario(), key), to);
    }

    // A database whose table is not `products`: its tables are offered, one that can be read by
    // a key is chosen, its keys offered (`rowid` where no integer column is), its columns become
    // the field list; a table that no key can read is said so, plainly, and Run would refuse it.
    void tablesAndKeysComeFromTheDatabase_data()
    {
        QTest::addColumn<QString>("create");
        QTest::addColumn<QString>("table"); // chosen by the panel
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("problem");
        QTest::addRow("orders, integer key") << u"CREATE TABLE orders (order_id INTEGER PRIMARY KEY, total REAL)"_s
                                             << u"orders"_s << QStringList {u"order_id"_s} << QString();
        QTest::addRow("notes, no integer column")
            << u"CREATE TABLE notes (title TEXT, body TEXT)"_s << u"notes"_s << QStringList {u"rowid"_s} << QString();
        QTest::addRow("text key, without rowid")
            << u"CREATE TABLE tags (tag TEXT PRIMARY KEY, n TEXT) WITHOUT ROWID"_s << u"products"_s << QStringList {}
            << u"Table 'products' is not in this database"_s;
    }
    void tablesAndKeysComeFromTheDatabase()
    {
        QFETCH(QString, create);
        QFETCH(QString, table);
        QFETCH(QStringList, keys);
        QFETCH(QString, problem);
        const QString file
            = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_') + u".db"_s);
        {
            Database db(file, Database::OpenMode::Create);
            db.exec(create);
        }
        Scenario s;
        s.db.path = file;
        SettingsPanel panel;
        panel.setScenario(s);
        QTRY_VERIFY_WITH_TIMEOUT(panel.schemaRead(), 10000);
        QCOMPARE(std::get<QString>(panel.field(u"db.table"_s)->value()), table);
        const QComboBox *keyBox = panel.field(u"db.key"_s)->comboBox();
        QStringList offered;
        for (int i = 0; i < keyBox->count(); ++i)
            offered << keyBox->itemText(i);
        QCOMPARE(offered, keys);
        const auto *note = panel.findChild<QLabel *>(u"schemaNote"_s);
        QCOMPARE(note->text().isEmpty(), problem.isEmpty());
        QVERIFY2(note->text().contains(problem), qPrintable(note->text()));
        if (problem.isEmpty()) {
            QCOMPARE(panel.scenario().db.table, table);
            QCOMPARE(panel.scenario().db.key, keys.first());
            QVERIFY(panel.findChild<QListWidget *>(u"fieldList"_s)->count() >= 2);
            QVERIFY(panel.problems().isEmpty());
        } else {
            QCOMPARE(panel.problems().size(), 1);
            // Choosing the table there is says why it cannot be read by a key.
            SettingField *tableField = panel.field(u"db.table"_s);
            tableField->lineEdit()->setText(u"tags"_s);
            QVERIFY(tableField->commitText());
            QVERIFY2(note->text().contains(u"WITHOUT ROWID table keyed by text"_s), qPrintable(note->text()));
        }
    }
};

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
