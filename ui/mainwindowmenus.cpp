// MainWindow's menu bar and toolbar, and what the File menu does: scenarios, presets, export, help.
#include "core/io/outputfile.h"
#include "core/report/reportwriter.h"
#include "core/result/buildinfo.h"
#include "core/scenario/presets.h"
#include "ui/backgroundrun.h"
#include "ui/coretext.h"
#include "ui/exportdialog.h"
#include "ui/mainwindow.h"
#include "ui/settingspanel.h"

#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace cachescope {

void MainWindow::buildMenus()
{
    auto action = [this](const QString &name, const QString &text, const QKeySequence &keys, auto slot) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (!keys.isEmpty())
            a->setShortcut(keys);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(u"fileMenu"_s);
    m_openDatabaseAction = action(
        u"openDatabaseAction"_s, tr("Open &database…"), QKeySequence::Open, [this] { m_settings->chooseDatabase(); });
    file->addAction(m_openDatabaseAction);
    m_openScenarioAction = action(u"openScenarioAction"_s, tr("Open &scenario…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), &MainWindow::openScenario);
    file->addAction(m_openScenarioAction);
    m_recentMenu = file->addMenu(tr("&Recent databases"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    file->addAction(
        action(u"saveScenarioAction"_s, tr("&Save scenario…"), QKeySequence::Save, &MainWindow::saveScenario));
    m_presetMenu = file->addMenu(tr("&Presets"));
    m_presetMenu->setObjectName(u"presetMenu"_s);
    m_presetMenu->setToolTipsVisible(true);
    for (const ScenarioPreset &preset : scenarioPresets()) {
        QAction *a = m_presetMenu->addAction(coreText("Preset", preset.title));
        a->setObjectName(u"presetAction_"_s + preset.name);
        a->setToolTip(coreText("Preset", preset.description));
        a->setStatusTip(coreText("Preset", preset.description));
        const QString name = preset.name;
        connect(a, &QAction::triggered, this, [this, name] { loadPreset(name); });
    }
    file->addSeparator();
    m_exportAction = action(
        u"exportAction"_s, tr("&Export Report…"), QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::exportResults);
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(action(u"quitAction"_s, tr("&Quit"), QKeySequence::Quit, [this] { close(); }));

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->setObjectName(u"runMenu"_s);
    m_runAction = action(u"runAction"_s, tr("&Run"), QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::startRun);
    m_stopAction = action(u"stopAction"_s, tr("&Stop"), QKeySequence(Qt::Key_Escape), &MainWindow::stopRun);
    m_stopAction->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    m_applyAction = action(u"applyAction"_s, tr("&Apply change now"), QKeySequence(Qt::CTRL | Qt::Key_Return), [this] {
        m_changeTimer->stop();
        m_settings->problems(); // commits what is typed in the field being edited
        sendLiveChange();
    });
    m_applyAction->setToolTip(tr("Send the edited live settings to the running engine without waiting"));
    run->addAction(m_runAction);
    run->addAction(m_stopAction);
    run->addAction(m_applyAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(u"viewMenu"_s);
    QAction *settingsShown = view->addAction(tr("&Settings panel"));
    settingsShown->setObjectName(u"settingsPanelAction"_s);
    settingsShown->setCheckable(true);
    settingsShown->setChecked(true);
    settingsShown->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    connect(settingsShown, &QAction::toggled, this, [this](bool shown) { m_controls->setVisible(shown); });
    QMenu *windows = view->addMenu(tr("Hit-rate &window"));
    windows->setObjectName(u"hitWindowMenu"_s);
    auto *windowGroup = new QActionGroup(this);
    for (const int seconds : {1, 5, 30}) {
        QAction *a = windows->addAction(seconds == 1 ? tr("1 second") : tr("%1 seconds").arg(seconds));
        a->setObjectName(u"hitWindow_%1"_s.arg(seconds));
        a->setCheckable(true);
        a->setChecked(seconds == 1);
        windowGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, seconds] { setHitWindow(seconds); });
    }
    QMenu *themes = view->addMenu(tr("&Theme"));
    themes->setObjectName(u"themeMenu"_s);
    auto *themeGroup = new QActionGroup(this);
    for (const auto &[name, text] : {std::pair {u"system"_s, tr("Follow the &desktop")},
             std::pair {u"light"_s, tr("&Light")}, std::pair {u"dark"_s, tr("D&ark")}}) {
        QAction *a = themes->addAction(text);
        a->setObjectName(u"theme_"_s + name);
        a->setCheckable(true);
        a->setChecked(name == m_theme);
        themeGroup->addAction(a);
        const QString chosen = name;
        connect(a, &QAction::triggered, this, [this, chosen] { applyTheme(chosen); });
    }
    buildLanguageMenu(view);
    view->addAction(
        action(u"chartsAction"_s, tr("&Charts"), QKeySequence(Qt::CTRL | Qt::Key_1), [this] { showChartsTab(true); }));
    view->addAction(action(
        u"historyAction"_s, tr("&History"), QKeySequence(Qt::CTRL | Qt::Key_H), [this] { showChartsTab(false); }));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(u"helpMenu"_s);
    help->addAction(action(u"helpAction"_s, tr("CacheScope &help"), QKeySequence::HelpContents, &MainWindow::showHelp));
    help->addAction(action(u"aboutAction"_s, tr("&About CacheScope"), QKeySequence(), [this] {
        QStringList built;
        for (const buildinfo::Component &c : buildinfo::components())
            built.append(c.builtWith.isEmpty() ? c.name + u' ' + c.runtime.toHtmlEscaped()
                                               : tr("%1 %2 (built with %3)").arg(c.name, c.runtime, c.builtWith));
        QString text
            = tr("<p><b>CacheScope %1</b></p><p>A workbench for tuning caches in front of a real database.</p>")
                  .arg(buildinfo::version());
        if (!buildinfo::commit().isEmpty())
            text += u"<p>"_s + tr("Built from commit %1.").arg(buildinfo::commit()) + u"</p>"_s;
        text += u"<p>"_s + built.join(u"<br/>"_s) + u"</p>"_s;
        QMessageBox::about(this, tr("About CacheScope"), text);
    }));

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(u"mainToolBar"_s);
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addAction(m_runAction);
    tools->addAction(m_stopAction);
    tools->addAction(m_applyAction);
    tools->addSeparator();
    tools->addAction(m_openDatabaseAction);
    tools->addAction(m_exportAction);
}

void MainWindow::showHelp()
{
    QMessageBox help(QMessageBox::Information, tr("CacheScope help"),
        tr("<p><b>A session</b>: choose a database (File → Open database, or the demo), set the workload and "
           "the cache on the left, press <b>Run</b> (Ctrl+R). CacheScope runs an uncached baseline, then the "
           "same workload through the cache, and compares them tile by tile against the acceptance criteria.</p>"
           "<p><b>During a run</b> the settings marked live (clients, capacities, TTLs, policies, rates) apply "
           "when you commit them (Enter, leaving the field, or a step of − / +); each change starts a new "
           "segment and draws a marker. Ctrl+Return sends it at once; Esc or Ctrl+. stops the run.</p>"
           "<p><b>Values</b> are typed as on the command line: durations with units (250us, 5ms, 30s, 5m, 1h), "
           "integers with or without separators. A value outside its range is refused in red with the reason.</p>"
           "<p><b>Shortcuts</b>: Ctrl+O open a database, Ctrl+Shift+O open a scenario, Ctrl+S save the "
           "scenario, Ctrl+E export the results, Ctrl+B show or hide the settings, F1 this help.</p>"
           "<p>The command line runs the same scenarios headless: <tt>cachescope run --help</tt>.</p>"),
        QMessageBox::Ok, this);
    help.setObjectName(u"helpDialog"_s);
    help.exec();
}

void MainWindow::openScenario()
{
    if (m_controller->isRunning())
        return;
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open a scenario"), QString(), tr("Scenarios (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    openScenarioFile(path);
}

bool MainWindow::openScenarioFile(const QString &path)
{
    try {
        Scenario s = Scenario::fromFile(path);
        // A scenario that names no database runs on the one open.
        if (s.db.path.isEmpty())
            s.db.path = scenario().db.path;
        setScenario(s);
        m_scenarioLabel = QFileInfo(path).fileName();
        statusBar()->showMessage(tr("Scenario %1 loaded").arg(QDir::toNativeSeparators(path)), 8000);
        showBanner({}, false);
        return true;
    } catch (const ScenarioError &error) {
        showBanner(tr("Cannot open the scenario: %1").arg(error.message()), true);
        return false;
    }
}

void MainWindow::saveScenario()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save the scenario"), u"scenario.json"_s, tr("Scenarios (*.json)"));
    if (!path.isEmpty())
        saveScenarioFile(path);
}

QString MainWindow::saveScenarioFile(const QString &path)
{
    if (const QStringList problems = m_settings->problems(); !problems.isEmpty()) {
        QString why = tr("Cannot save the scenario: %1").arg(problems.join(u"; "_s));
        showBanner(why, true);
        return why;
    }
    const QByteArray json = QJsonDocument(scenario().toJson()).toJson(QJsonDocument::Indented);
    QString problem = OutputFile::write(path, OutputKind::ScenarioFile, json, {scenario().db.path});
    if (!problem.isEmpty())
        showBanner(tr("Cannot save the scenario: %1").arg(problem), true);
    else
        statusBar()->showMessage(tr("Scenario saved to %1").arg(QDir::toNativeSeparators(path)), 8000);
    return problem;
}

void MainWindow::exportResults()
{
    if (!m_lastResult) {
        statusBar()->showMessage(tr("No results to export yet: run first"), 5000);
        return;
    }
    auto *dialog = new ExportDialog(*m_lastResult,
        tr("The run shown: %1. To export another, open it from the History tab first.").arg(m_lastResultLabel), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        statusBar()->showMessage(tr("Report written: %1").arg(dialog->paths().join(u", "_s)), 8000);
    });
    dialog->open();
}

QString MainWindow::exportResultsTo(const QString &path)
{
    if (!m_lastResult)
        return tr("no results to export yet");
    QString problem = ReportWriter::write(*m_lastResult, path);
    if (!problem.isEmpty())
        showBanner(tr("Cannot export: %1").arg(problem), true);
    else
        statusBar()->showMessage(tr("Results written to %1").arg(QDir::toNativeSeparators(path)), 8000);
    return problem;
}

void MainWindow::loadPreset(const QString &name)
{
    if (m_controller->isRunning())
        return;
    try {
        Scenario preset = presetScenario(name);
        // The preset's settings, on the database the window has open (a preset names none).
        const Scenario current = scenario();
        preset.db.path = current.db.path;
        preset.db.table = current.db.table;
        preset.db.key = current.db.key;
        setScenario(preset);
        m_scenarioLabel = name;
        statusBar()->showMessage(
            tr("Preset “%1”: %2")
                .arg(coreText("Preset", findPreset(name)->title), coreText("Preset", findPreset(name)->description)),
            8000);
    } catch (const ScenarioError &error) {
        statusBar()->showMessage(tr("Cannot load the preset: %1").arg(error.message()));
    }
}

} // namespace cachescope
