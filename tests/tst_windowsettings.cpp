// What the window remembers between sessions (QSettings, in a folder of the test's own): its
// layout, the last scenario (when opened without a database), recent databases and the theme;
// and the themes themselves: dark and light palettes, charts that follow, series that keep
// their colours.
#include "core/db/demodatabase.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QChart>
#include <QFile>
#include <QLineSeries>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

class TestWindowSettings : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
        m_db = m_dir.filePath(u"ui.db"_s);
        DemoDatabase::create(m_db, 500, 5);
    }

    void themesColourTheWindowAndCharts_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::addColumn<bool>("dark");
        QTest::newRow("dark") << u"dark"_s << true;
        QTest::newRow("light") << u"light"_s << false;
        QTest::newRow("back to the desktop's") << u"system"_s << false; // offscreen: a light palette
        QTest::newRow("unknown name: the desktop's") << u"purple"_s << false;
    }
    void themesColourTheWindowAndCharts()
    {
        QFETCH(QString, theme);
        QFETCH(bool, dark);
        MainWindow window(m_db);
        const QColor hitColour = qobject_cast<QLineSeries *>(window.hitRateChart()->chart()->series().first())->color();
        window.applyTheme(theme);
        QCOMPARE(window.theme(), theme == u"purple"_s ? u"system"_s : theme);
        QCOMPARE(QApplication::palette().color(QPalette::Window).lightness() < 128, dark);
        QCOMPARE(window.hitRateChart()->chart()->theme(), dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        QCOMPARE(
            window.hitRateChart()->chart()->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
        // The series keep the colours the legends and the docs describe.
        QCOMPARE(qobject_cast<QLineSeries *>(window.hitRateChart()->chart()->series().first())->color(), hitColour);
        QVERIFY(window.findChild<QAction *>(u"theme_"_s + window.theme())->isChecked());
        window.applyTheme(u"system"_s);
    }

    // Closed, the window's layout, scenario, recent databases and theme come back in the next.
    void layoutScenarioRecentFilesAndThemeComeBack()
    {
        {
            MainWindow first;
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            first.openDatabase(m_db);
            Scenario s = first.scenario();
            s.cache.l1.capacity = 1234;
            s.workload.concurrency = 7;
            first.setScenario(s);
            first.applyTheme(u"dark"_s);
            first.showChartsTab(false);
            auto *splitter = first.findChild<QSplitter *>(u"mainSplitter"_s);
            splitter->setSizes({500, first.width() - 500});
            QVERIFY(first.close());
        }
        MainWindow second;
        QCOMPARE(second.scenario().cache.l1.capacity, 1234);
        QCOMPARE(second.scenario().workload.concurrency, 7);
        QCOMPARE(second.scenario().db.path, m_db);
        QCOMPARE(second.theme(), u"dark"_s);
        QCOMPARE(second.findChild<QTabWidget *>(u"mainTabs"_s)->currentIndex(), 1);
        QCOMPARE(second.recentDatabases(), QStringList {m_db});
        auto *recent = second.findChild<QMenu *>(u"recentMenu"_s);
        QCOMPARE(recent->actions().size(), 1);
        QCOMPARE(recent->actions().first()->toolTip(), m_db);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(second.findChild<QSplitter *>(u"mainSplitter"_s)->sizes().first() >= 450);
        second.applyTheme(u"system"_s);
        QVERIFY(second.close());

        // Opened on a given database, the window starts on the default scenario over it.
        MainWindow onFile(m_db);
        QCOMPARE(onFile.scenario().cache.l1.capacity, Scenario().cache.l1.capacity);
    }

    // A server's URL is remembered with its password masked: the settings file never holds one
    // (setting the URL reads the server's tables in the background; none listens here).
    void rememberedServerUrlHoldsNoPassword()
    {
        {
            MainWindow first;
            Scenario s = first.scenario();
            s.db.url = u"postgresql://ann:pa55word@127.0.0.1:1/shop"_s;
            s.db.timeout = std::chrono::milliseconds(200);
            first.setScenario(s);
            QVERIFY(first.close());
        }
        const QString settingsFile
            = QSettings(QSettings::NativeFormat, QSettings::UserScope, u"cachescope"_s, u"cachescope"_s).fileName();
        QFile file(settingsFile);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settingsFile));
        const QByteArray saved = file.readAll();
        QVERIFY(!saved.contains("pa55word"));
        MainWindow second;
        QCOMPARE(second.scenario().db.url, u"postgresql://ann:***@127.0.0.1:1/shop"_s);
        Scenario back = second.scenario();
        back.db.url.clear();
        second.setScenario(back);
        QVERIFY(second.close());
    }

    // A remembered database that is gone: the rest of the scenario, on the demo database; a
    // recent entry for it is shown but cannot be chosen.
    void goneDatabaseFallsBackToTheDemo()
    {
        const QString gone = m_dir.filePath(u"gone.db"_s);
        QVERIFY(QFile::copy(m_db, gone));
        {
            MainWindow first;
            first.openDatabase(gone);
            Scenario s = first.scenario();
            s.cache.l1.capacity = 4321;
            first.setScenario(s);
            first.saveSettings();
        }
        QVERIFY(QFile::remove(gone));
        MainWindow second;
        QCOMPARE(second.scenario().db.path, QString());
        QCOMPARE(second.scenario().cache.l1.capacity, 4321);
        QCOMPARE(second.recentDatabases().first(), gone);
        QVERIFY(!second.findChild<QMenu *>(u"recentMenu"_s)->actions().first()->isEnabled());
    }
};

QTEST_MAIN(TestWindowSettings)
#include "tst_windowsettings.moc"
