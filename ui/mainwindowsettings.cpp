// MainWindow's memory across sessions (QSettings): layout, scenario, recent databases, theme.
#include "ui/backgroundrun.h"
#include "ui/language.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"
#include "ui/settingspanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QChart>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenu>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
constexpr qsizetype kMaxRecent = 8;

// CacheScope's own settings file, whatever the application object is called (tests, tools).
QSettings store()
{
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, u"cachescope"_s, u"cachescope"_s);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}
} // namespace

void MainWindow::buildLanguageMenu(QMenu *view)
{
    QMenu *languages = view->addMenu(tr("&Language"));
    languages->setObjectName(u"languageMenu"_s);
    auto *group = new QActionGroup(this);
    const QString current = language::chosen();
    QStringList choices {u"system"_s};
    choices << language::available();
    for (const QString &choice : choices) {
        // Each language by its own name, so that it can be found in any language.
        QAction *a
            = languages->addAction(choice == u"system"_s ? tr("Follow the &system") : language::nativeName(choice));
        a->setObjectName(u"language_"_s + choice);
        a->setCheckable(true);
        a->setChecked(choice == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] { chooseLanguage(choice); });
    }
}

void MainWindow::chooseLanguage(const QString &choice)
{
    const QString before = language::resolve(language::chosen());
    language::choose(choice);
    const QString after = language::resolve(choice);
    if (after == before)
        return;
    // Said in the new language (its translation read on its own), since the window speaks the old.
    const char *source = QT_TR_NOOP("The window will be in %1 when CacheScope starts again.");
    QString text = QString::fromUtf8(source);
    QTranslator next;
    if (after != u"en"_s && next.load(u":/cachescope/i18n/cachescope_"_s + after + u".qm"_s)) {
        if (const QString translated = next.translate("cachescope::MainWindow", source); !translated.isEmpty())
            text = translated;
    }
    statusBar()->showMessage(text.arg(language::nativeName(after)), 10000);
}

void MainWindow::applyTheme(const QString &theme)
{
    if (!m_systemPalette)
        m_systemPalette = QApplication::palette(); // the desktop's, before any change
    m_theme = theme == u"light"_s || theme == u"dark"_s ? theme : u"system"_s;
    QPalette palette = *m_systemPalette;
    if (m_theme == u"dark"_s) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        palette = darkPalette();
    } else if (m_theme == u"light"_s) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        palette = QApplication::style()->standardPalette();
    }
    QApplication::setPalette(palette);
    // The charts follow: Qt Charts' own dark theme, or the light one; series keep their colours.
    const bool dark = isDark(palette);
    for (LiveChart *chart : findChildren<LiveChart *>()) {
        chart->chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->chart()->setBackgroundBrush(palette.color(QPalette::Base));
        chart->chart()->setTitleBrush(palette.color(QPalette::WindowText));
        chart->restoreSeriesPens();
    }
    if (auto *a = findChild<QAction *>(u"theme_"_s + m_theme))
        a->setChecked(true);
}

void MainWindow::openDatabase(const QString &path)
{
    if (m_controller->isRunning())
        return;
    Scenario s = scenario();
    s.db.path = path;
    s.db.table = Scenario().db.table; // the panel picks the file's first usable table when absent
    s.db.key = Scenario().db.key;
    setScenario(s);
    addRecentDatabase(path);
}

void MainWindow::addRecentDatabase(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_recent.removeAll(absolute);
    m_recent.prepend(absolute);
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : m_recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        a->setStatusTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path] { openDatabase(path); });
    }
    m_recentMenu->setEnabled(!m_recent.isEmpty());
}

void MainWindow::saveSettings() const
{
    QSettings s = store();
    s.setValue(u"window/geometry"_s, saveGeometry());
    s.setValue(u"window/state"_s, saveState());
    if (auto *splitter = findChild<QSplitter *>(u"mainSplitter"_s))
        s.setValue(u"window/splitter"_s, splitter->saveState());
    s.setValue(u"window/tab"_s, m_tabs->currentIndex());
    s.setValue(u"view/theme"_s, m_theme);
    s.setValue(u"files/recentDatabases"_s, m_recent);
    // Never a password in the settings file: a server's URL is kept masked (PGPASSFILE keeps
    // passwords the way libpq means them to be kept).
    s.setValue(u"scenario/last"_s, QJsonDocument(scenario().toPublicJson()).toJson(QJsonDocument::Compact));
    s.sync();
}

void MainWindow::restoreSettings(bool scenarioToo)
{
    QSettings s = store();
    if (s.contains(u"window/geometry"_s)) {
        restoreGeometry(s.value(u"window/geometry"_s).toByteArray());
        // A layout saved on a larger screen (or at another scale) never opens past this one.
        if (!screen()->availableGeometry().contains(frameGeometry()))
            fitToScreen();
    }
    restoreState(s.value(u"window/state"_s).toByteArray());
    if (auto *splitter = findChild<QSplitter *>(u"mainSplitter"_s); splitter && s.contains(u"window/splitter"_s))
        splitter->restoreState(s.value(u"window/splitter"_s).toByteArray());
    m_tabs->setCurrentIndex(std::clamp(s.value(u"window/tab"_s, 0).toInt(), 0, m_tabs->count() - 1));
    m_recent = s.value(u"files/recentDatabases"_s).toStringList();
    rebuildRecentMenu();
    applyTheme(s.value(u"view/theme"_s, u"system"_s).toString());
    if (!scenarioToo || !s.contains(u"scenario/last"_s))
        return;
    try {
        Scenario last = Scenario::fromJson(QJsonDocument::fromJson(s.value(u"scenario/last"_s).toByteArray()).object());
        // A database that is gone falls back to the demo database, with the rest of the scenario.
        if (!last.db.path.isEmpty() && !QFileInfo::exists(last.db.path)) {
            last.db.path.clear();
            last.db.table = Scenario().db.table;
            last.db.key = Scenario().db.key;
        }
        setScenario(last);
    } catch (const ScenarioError &) {
        // A scenario this version cannot read: start on the defaults.
    }
}

} // namespace cachescope
