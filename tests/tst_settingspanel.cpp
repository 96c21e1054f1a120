// The settings panel: every scenario field it shows goes in and comes back out unchanged; the
// controls that apply mid-run say so when they change and stay enabled during a run, the others
// stay silent and are locked; the table's columns become the projection's field list.
#include "core/db/demodatabase.h"
#include "ui/settingspanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestSettingsPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"panel.db"_s);
        DemoDatabase::create(m_db, 200, 5);
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

    void liveControlsSayTheyChanged_data()
    {
        QTest::addColumn<QString>("control");
        QTest::addColumn<bool>("live");
        // Every control is named after its setting and is live exactly when the table says so.
        SettingsPanel panel;
        int controls = 0;
        for (const SettingDef &setting : settingTable()) {
            if (panel.findChild<QWidget *>(setting.key)) {
                QTest::addRow("%s", qPrintable(setting.key)) << setting.key << setting.live;
                ++controls;
            }
        }
        QVERIFY(controls >= 15);
    }
    void liveControlsSayTheyChanged()
    {
        QFETCH(QString, control);
        QFETCH(bool, live);
        SettingsPanel panel;
        QSignalSpy edited(&panel, &SettingsPanel::liveSettingEdited);
        QWidget *widget = panel.findChild<QWidget *>(control);
        QVERIFY2(widget, qPrintable(control));
        if (auto *spin = qobject_cast<QSpinBox *>(widget))
            spin->setValue(spin->value() + 1);
        else if (auto *decimal = qobject_cast<QDoubleSpinBox *>(widget))
            decimal->setValue(decimal->value() + 1.0);
        else if (auto *combo = qobject_cast<QComboBox *>(widget))
            combo->setCurrentIndex((combo->currentIndex() + 1) % combo->count());
        else
            QFAIL("not a spin box or combo box");
        QCOMPARE(edited.count(), live ? 1 : 0);
        panel.setRunning(true);
        QCOMPARE(widget->isEnabled(), live);
        panel.setRunning(false);
        QVERIFY(widget->isEnabled());
    }
};

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
