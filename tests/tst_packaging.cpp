// What a user installs: `cmake --install` into a temporary prefix, where the launcher entry and
// the AppStream metainfo must pass the tools desktops and software centres check them with, every
// icon size must be there at its size, and the manual must render without warnings and say what
// `--help` says. The slow half builds the .deb and the .tar.gz with CPack, unpacks each into an
// empty root (dpkg -x, tar) and runs the unpacked program: --version, a short headless run on the
// demo database it makes, and its window on the offscreen platform until SIGTERM.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace Qt::StringLiterals;

namespace {
const QString kAppId = u"io.github.cachescope.CacheScope"_s;

struct Ran {
    int exitCode = -1;
    QString out;
    QString err;
};

Ran run(
    const QString &program, const QStringList &arguments, const QProcessEnvironment &env = {}, int timeoutMs = 120000)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(program, arguments);
    Ran r;
    if (!p.waitForStarted(10000)) {
        r.err = program + u": did not start: "_s + p.errorString();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = program + u": still running after "_s + QString::number(timeoutMs) + u" ms"_s;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// Runs of blanks as one space, so text a formatter filled or indented compares with the original.
QString squeezed(const QString &text)
{
    return text.simplified();
}

/// The environment an unpacked program runs in: its own data and configuration folders (it makes
/// the demo database there), the offscreen platform, and nothing of the build tree.
QProcessEnvironment userEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/.local/share"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/.config"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.remove(u"CACHESCOPE_HISTORY"_s);
    env.remove(u"LD_LIBRARY_PATH"_s);
    return env;
}
} // namespace

class TestPackaging : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_prefix; ///< where `cmake --install` put the tree

    QString installed(const QString &relative) const { return m_prefix + u'/' + relative; }

    /// The commit `git` says the sources are at, when they are a checkout ("" otherwise).
    static QString sourceCommit()
    {
        const Ran git = run(
            u"git"_s, {u"-C"_s, QStringLiteral(CACHESCOPE_SOURCE_DIR), u"rev-parse"_s, u"--short=12"_s, u"HEAD"_s});
        return git.exitCode == 0 ? git.out.trimmed() : QString();
    }

    /// Checks what the program at \a binary prints for --version.
    static void checkVersion(const QString &binary)
    {
        const Ran v = run(binary, {u"--version"_s});
        QVERIFY2(v.exitCode == 0, qPrintable(v.err));
        const QStringList lines = v.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first(), u"cachescope "_s + QStringLiteral(CACHESCOPE_VERSION));
        for (const QString &component : {u"Qt"_s, u"SQLite"_s, u"QCoro"_s}) {
            const QRegularExpression line(
                u"^"_s + component + u" \\d+\\.\\d+\\.\\d+( \\(built with \\d+\\.\\d+\\.\\d+\\))?$"_s);
            QVERIFY2(
                std::any_of(lines.begin(), lines.end(), [&](const QString &l) { return line.match(l).hasMatch(); }),
                qPrintable(component + u" missing in:\n"_s + v.out));
        }
        const QString commit = sourceCommit();
        if (!commit.isEmpty()) // a clone: the program names the commit it was built from
            QVERIFY2(lines.size() > 1 && lines.at(1).startsWith(u"commit "_s + commit), qPrintable(v.out));
    }

    /// Runs the unpacked program at \a binary as a user would, in its own empty home.
    static void checkRuns(const QString &binary, const QString &home)
    {
        checkVersion(binary);
        if (QTest::currentTestFailed())
            return;
        const QProcessEnvironment env = userEnvironment(home);
        const QString json = home + u"/result.json"_s;
        const Ran r = run(binary,
            {u"run"_s, u"--set"_s, u"duration.baseline=300ms"_s, u"--set"_s, u"duration.cached=700ms"_s, u"--set"_s,
                u"workload.keys=2000"_s, u"--no-history"_s, u"--report"_s, json},
            env, 180000);
        // PASS, FAIL or INCONCLUSIVE: the criteria are not the point here, that it runs is.
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 4, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains(u"acceptance criteria:"_s), qPrintable(r.out));
        QVERIFY2(QFile::exists(home + u"/.local/share/cachescope/cachescope/demo.db"_s), "no demo database made");
        QVERIFY2(readAll(json).contains(u"\"phases\""_s), "no result JSON");

        // The window: it starts, stays up, and SIGTERM closes it cleanly (exit 128 + 15).
        QProcess gui;
        gui.setProcessEnvironment(env);
        gui.start(binary, {});
        QVERIFY(gui.waitForStarted(10000));
        QVERIFY2(!gui.waitForFinished(3000), qPrintable(QString::fromUtf8(gui.readAllStandardError())));
        ::kill(pid_t(gui.processId()), SIGTERM);
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 143);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_prefix = m_dir.filePath(u"usr"_s);
        const Ran install = run(QStringLiteral(CACHESCOPE_CMAKE),
            {u"--install"_s, QStringLiteral(CACHESCOPE_BUILD_DIR), u"--prefix"_s, m_prefix});
        QVERIFY2(install.exitCode == 0, qPrintable(install.err + install.out));
    }

    void installedTreeHasEveryFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addRow("program") << u"bin/cachescope"_s;
        QTest::addRow("launcher entry") << u"share/applications/"_s + kAppId + u".desktop"_s;
        QTest::addRow("metainfo") << u"share/metainfo/"_s + kAppId + u".metainfo.xml"_s;
        QTest::addRow("scalable icon") << u"share/icons/hicolor/scalable/apps/"_s + kAppId + u".svg"_s;
        QTest::addRow("manual") << u"share/man/man1/cachescope.1.gz"_s;
        QTest::addRow("Chinese translation") << u"share/cachescope/translations/cachescope_zh_CN.qm"_s;
        for (const char *preset : {"default", "seed-plan", "tuned"})
            QTest::addRow("preset %s", preset)
                << u"share/cachescope/scenarios/"_s + QLatin1StringView(preset) + u".json"_s;
    }
    void installedTreeHasEveryFile()
    {
        QFETCH(QString, path);
        const QFileInfo file(installed(path));
        QVERIFY2(file.isFile(), qPrintable(file.filePath()));
        QVERIFY(file.size() > 0);
        if (path.startsWith(u"bin/"_s))
            QVERIFY(file.isExecutable());
    }

    void iconsAreDrawnAtTheirSize_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {16, 24, 32, 48, 64, 128, 256, 512})
            QTest::addRow("%dx%d", size, size) << size;
    }
    void iconsAreDrawnAtTheirSize()
    {
        QFETCH(int, size);
        const QString path = installed(u"share/icons/hicolor/%1x%1/apps/"_s.arg(size) + kAppId + u".png"_s);
        const QImage icon(path);
        QVERIFY2(!icon.isNull(), qPrintable(path));
        QCOMPARE(icon.size(), QSize(size, size));
        QVERIFY(icon.hasAlphaChannel());
        // Drawn, not blank: the corners are transparent (a rounded tile), the middle is not.
        QCOMPARE(qAlpha(icon.pixel(0, 0)), 0);
        QCOMPARE(qAlpha(icon.pixel(size / 2, size / 2)), 255);
    }

    void launcherEntryValidates()
    {
        const QString desktop = installed(u"share/applications/"_s + kAppId + u".desktop"_s);
        const Ran v = run(u"desktop-file-validate"_s, {desktop});
        QVERIFY2(v.exitCode == 0 && v.out.isEmpty(), qPrintable(v.out + v.err));
        // It starts the installed program and shows the installed icon.
        const QString entry = readAll(desktop);
        QVERIFY(entry.contains(u"\nExec=cachescope\n"_s));
        QVERIFY(entry.contains(u"\nIcon="_s + kAppId + u'\n'));
    }

    void metainfoValidates()
    {
        const QString metainfo = installed(u"share/metainfo/"_s + kAppId + u".metainfo.xml"_s);
        const Ran v = run(u"appstreamcli"_s, {u"validate"_s, u"--no-net"_s, u"--no-color"_s, metainfo});
        QVERIFY2(v.exitCode == 0, qPrintable(v.out + v.err));
        const QString xml = readAll(metainfo);
        QVERIFY(xml.contains(u"<release version=\""_s + QStringLiteral(CACHESCOPE_VERSION) + u'"'));
        QVERIFY(xml.contains(u"<launchable type=\"desktop-id\">"_s + kAppId + u".desktop</launchable>"_s));
        QVERIFY(!xml.contains(u'@')); // every @VARIABLE@ filled in
        // Each screenshot is one the project keeps (docs/screenshots), under the homepage.
        const QRegularExpression image(u"<image>[^<]*/screenshots/([^<]+)</image>"_s);
        int screenshots = 0;
        for (auto m = image.globalMatch(xml); m.hasNext(); ++screenshots) {
            const QString name = m.next().captured(1);
            QVERIFY2(QFile::exists(QStringLiteral(CACHESCOPE_SOURCE_DIR) + u"/docs/screenshots/"_s + name),
                qPrintable(name));
        }
        QVERIFY(screenshots >= 1);
    }

    void manualSaysWhatHelpSays_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addRow("cachescope") << QStringList {};
        for (const char *command : {"run", "simulate", "demo-db", "history", "compare", "report"})
            QTest::addRow("%s", command) << QStringList {QString::fromLatin1(command)};
    }
    void manualSaysWhatHelpSays()
    {
        QFETCH(QStringList, command);
        QProcess man;
        man.setProgram(u"sh"_s);
        // As man(1) formats it: UTF-8 input by its coding line (-k), groff's warnings (-ww) on
        // stderr, the text on stdout.
        man.setArguments({u"-c"_s, u"gzip -dc \"$1\" | groff -k -man -ww -Tutf8 -P-cbou"_s, u"sh"_s,
            installed(u"share/man/man1/cachescope.1.gz"_s)});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LC_ALL"_s, u"C"_s);
        man.setProcessEnvironment(env);
        man.start();
        QVERIFY(man.waitForFinished(30000));
        QCOMPARE(man.exitCode(), 0);
        const QString warnings = QString::fromUtf8(man.readAllStandardError());
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
        const QString page = squeezed(QString::fromUtf8(man.readAllStandardOutput()));

        QProcessEnvironment helpEnv = QProcessEnvironment::systemEnvironment();
        helpEnv.insert(u"XDG_DATA_HOME"_s, u"/XDG-DATA"_s); // as the build prints it
        const Ran help = run(installed(u"bin/cachescope"_s), command + QStringList {u"--help"_s}, helpEnv);
        QCOMPARE(help.exitCode, 0);
        QString text = help.out;
        text.replace(installed(u"bin/cachescope"_s), u"cachescope"_s).replace(u"/XDG-DATA"_s, u"~/.local/share"_s);
        // Every line of the help, each option and its words, is in the manual as printed.
        for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
            QVERIFY2(page.contains(squeezed(line)), qPrintable(u"not in the manual: "_s + line));
        if (!command.isEmpty())
            QVERIFY(page.contains(u"COMMANDS "_s) && page.contains(u' ' + command.first() + u" Usage: cachescope "_s));
    }

    void installedProgramNamesItsBuild() { checkVersion(installed(u"bin/cachescope"_s)); }

    void packageInstallsAndRuns_data()
    {
        QTest::addColumn<QString>("generator");
        QTest::addRow("deb") << u"DEB"_s;
        QTest::addRow("tar.gz") << u"TGZ"_s;
    }
    void packageInstallsAndRuns()
    {
        QFETCH(QString, generator);
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString out = work.filePath(u"packages"_s);
        const Ran cpack = run(QStringLiteral(CACHESCOPE_CPACK),
            {u"--config"_s, QStringLiteral(CACHESCOPE_BUILD_DIR) + u"/CPackConfig.cmake"_s, u"-G"_s, generator, u"-B"_s,
                out},
            {}, 600000);
        QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
        const QString root = work.filePath(u"root"_s);
        QVERIFY(QDir().mkpath(root));
        QString binary;
        if (generator == u"DEB"_s) {
            const QString deb = out + u"/cachescope_"_s + QStringLiteral(CACHESCOPE_VERSION) + u"_amd64.deb"_s;
            QVERIFY2(QFile::exists(deb), qPrintable(deb));
            const Ran fields = run(u"dpkg-deb"_s,
                {u"--field"_s, deb, u"Package"_s, u"Version"_s, u"Depends"_s, u"Section"_s, u"Homepage"_s,
                    u"Maintainer"_s});
            QCOMPARE(fields.exitCode, 0);
            QVERIFY2(fields.out.contains(u"Package: cachescope\n"_s), qPrintable(fields.out));
            QVERIFY(fields.out.contains(u"Version: "_s + QStringLiteral(CACHESCOPE_VERSION) + u'\n'));
            QVERIFY(fields.out.contains(u"Section: devel\n"_s));
            QVERIFY(fields.out.contains(u"Homepage: https://"_s));
            // From the binary (shlibdeps), plus a font, which Qt loads by name.
            for (const QString &dependency :
                {u"libqt6widgets6"_s, u"libqt6charts6"_s, u"libsqlite3-0"_s, u"fonts-dejavu-core"_s})
                QVERIFY2(fields.out.contains(dependency), qPrintable(dependency + u" not in\n"_s + fields.out));
            // Nothing it does not load: no SQL, network or QML modules.
            for (const QString &unneeded : {u"libqt6sql6"_s, u"libqt6network6"_s, u"libqt6qml6"_s})
                QVERIFY2(!fields.out.contains(unneeded), qPrintable(unneeded + u" in\n"_s + fields.out));
            const Ran unpack = run(u"dpkg"_s, {u"-x"_s, deb, root});
            QVERIFY2(unpack.exitCode == 0, qPrintable(unpack.err));
            binary = root + u"/usr/bin/cachescope"_s;
            QVERIFY(QFile::exists(root + u"/usr/share/applications/"_s + kAppId + u".desktop"_s));
        } else {
            const QString folder = u"cachescope-"_s + QStringLiteral(CACHESCOPE_VERSION) + u"-Linux"_s;
            const QString tgz = out + u'/' + folder + u".tar.gz"_s;
            QVERIFY2(QFile::exists(tgz), qPrintable(tgz));
            const Ran unpack = run(u"tar"_s, {u"-xzf"_s, tgz, u"-C"_s, root});
            QVERIFY2(unpack.exitCode == 0, qPrintable(unpack.err));
            binary = root + u'/' + folder + u"/bin/cachescope"_s;
            QVERIFY(QFile::exists(root + u'/' + folder + u"/share/man/man1/cachescope.1.gz"_s));
        }
        const QString home = work.filePath(u"home"_s);
        QVERIFY(QDir().mkpath(home));
        checkRuns(binary, home);
    }
};

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
