// The window's two languages: every text of the sources is in translations/cachescope_zh_CN.ts
// and translated there (lupdate run afresh finds nothing new), the program carries that file,
// the language follows the user's choice or the locale, and a window made in Chinese shows no
// English words but the names of things (SQLite, TTL, setting keys, the values one types).
#include "core/db/database.h"
#include "core/db/demodatabase.h"
#include "core/db/tableschema.h"
#include "core/result/runresult.h"
#include "core/scenario/settings.h"
#include "ui/language.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTranslator>
#include <QValueAxis>
#include <QXmlStreamReader>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
struct Message {
    QString context;
    QString source;
    QString translation;
    QString type; ///< "unfinished", "vanished", "obsolete" or empty (finished)
};

QList<Message> readTs(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Message> messages;
    QString context;
    Message current;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"message"_s) {
            messages.append(current);
        } else if (xml.isStartElement()) {
            const QString name = xml.name().toString();
            if (name == u"name"_s) {
                context = xml.readElementText();
            } else if (name == u"message"_s) {
                current = Message {context, {}, {}, {}};
            } else if (name == u"source"_s) {
                current.source = xml.readElementText();
            } else if (name == u"translation"_s) {
                current.type = xml.attributes().value(u"type"_s).toString();
                current.translation = xml.readElementText();
            }
        }
    }
    return xml.hasError() ? QList<Message> {} : messages;
}

QString tsPath()
{
    return QStringLiteral(CACHESCOPE_SOURCE_DIR "/translations/cachescope_zh_CN.ts");
}

QStringList placeholders(const QString &text)
{
    QStringList found;
    QRegularExpressionMatchIterator it = QRegularExpression(u"%\\d"_s).globalMatch(text);
    while (it.hasNext())
        found << it.next().captured();
    found.sort();
    return found;
}

// Words that are names, not English: products, formats, keys, SQL and the values one types.
QSet<QString> namesOfThings()
{
    QSet<QString> names {u"CacheScope"_s, u"SQLite"_s, u"TTL"_s, u"RTT"_s, u"LRU"_s, u"Zipf"_s, u"JSON"_s, u"JUnit"_s,
        u"XML"_s, u"PNG"_s, u"SVG"_s, u"Ctrl"_s, u"Shift"_s, u"Esc"_s, u"Return"_s, u"Wilson"_s, u"KPI"_s,
        u"MultiLayerCache"_s, u"SELECT"_s, u"ORDER"_s, u"LIMIT"_s, u"key"_s, u"asc"_s, u"desc"_s, u"column"_s, u"WAL"_s,
        u"wal"_s, u"shm"_s, u"libCacheSim"_s, u"csv"_s, u"CSV"_s, u"oracleGeneral"_s, u"zstd"_s, u"JIT"_s,
        u"cachescope"_s, u"run"_s, u"help"_s, u"simulate"_s, u"true"_s, u"sqlite"_s, u"sqlite3"_s, u"json"_s, u"xml"_s,
        u"png"_s, u"svg"_s, u"max"_s, u"HTML"_s, u"PDF"_s, u"html"_s, u"pdf"_s, u"txt"_s, u"PostgreSQL"_s, u"libpq"_s,
        u"PGPASSFILE"_s, u"PGSERVICE"_s, u"URL"_s, u"auto"_s, u"off"_s, u"version"_s, u"TTL"_s, u"Redis"_s,
        u"maxmemory"_s, u"GET"_s};
    for (const SettingDef &s : settingTable()) {
        for (const QString &choice : s.choices)
            names.insert(choice);
    }
    return names;
}

// The English words left in \a text once names of things are set aside: tokens with a dot,
// underscore, slash, star or digit (keys, paths, units, numbers) are names too.
QStringList englishWords(const QString &text, const QSet<QString> &names)
{
    QStringList words;
    static const QRegularExpression token(u"[A-Za-z][A-Za-z0-9._/*+\\-]*"_s);
    QRegularExpressionMatchIterator it = token.globalMatch(text);
    while (it.hasNext()) {
        QString word = it.next().captured();
        while (word.endsWith(u'.') || word.endsWith(u'-'))
            word.chop(1);
        if (word.size() < 3 || names.contains(word) || word.contains(QRegularExpression(u"[._/*+\\-0-9]"_s)))
            continue;
        words << word;
    }
    return words;
}

QString plain(const QString &text)
{
    return Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
}

// Every text the window shows or says on hover: labels, buttons, group and tab titles, menus and
// their actions, placeholders, table headers, chart titles, axes and legends, tooltips.
QStringList shownTexts(QWidget &window)
{
    QStringList texts;
    auto add = [&](const QString &where, const QString &text) {
        if (!text.isEmpty())
            texts << where + u" ⟶ "_s + plain(text);
    };
    const QList<QWidget *> widgets = window.findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        const QString name
            = w->objectName().isEmpty() ? QString::fromLatin1(w->metaObject()->className()) : w->objectName();
        add(name + u" tooltip"_s, w->toolTip());
        if (auto *label = qobject_cast<QLabel *>(w))
            add(name, label->text());
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(name, button->text());
        if (auto *group = qobject_cast<QGroupBox *>(w))
            add(name, group->title());
        if (auto *edit = qobject_cast<QLineEdit *>(w); edit && !qobject_cast<QComboBox *>(w->parentWidget()))
            add(name + u" placeholder"_s, edit->placeholderText());
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(name + u" tab"_s, tabs->tabText(i));
        }
        if (auto *menu = qobject_cast<QMenu *>(w))
            add(name, menu->title());
        if (auto *view = qobject_cast<QAbstractItemView *>(w); view && view->model()) {
            const QAbstractItemModel *model = view->model();
            for (int c = 0; c < model->columnCount(); ++c) {
                add(name + u" header"_s, model->headerData(c, Qt::Horizontal).toString());
                for (int r = 0; r < std::min(model->rowCount(), 20); ++r) {
                    add(name + u" cell"_s, model->index(r, c).data().toString());
                    add(name + u" cell tooltip"_s, model->index(r, c).data(Qt::ToolTipRole).toString());
                }
            }
        }
        if (auto *chart = qobject_cast<LiveChart *>(w)) {
            add(name + u" title"_s, chart->chart()->title());
            for (QAbstractAxis *axis : chart->chart()->axes())
                add(name + u" axis"_s, axis->titleText());
            for (QAbstractSeries *series : chart->chart()->series())
                add(name + u" series"_s, series->name());
        }
    }
    for (QAction *a : window.findChildren<QAction *>()) {
        if (a->objectName().startsWith(u"language_"_s) && a->objectName() != u"language_system"_s)
            continue; // each language by its own name
        add(a->objectName() + u" action"_s, a->text().remove(u'&'));
        if (a->toolTip() != a->text().remove(u'&'))
            add(a->objectName() + u" action tooltip"_s, a->toolTip());
    }
    return texts;
}
} // namespace

class TestTranslations : public QObject {
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

    void cleanup() { language::install(u"en"_s); }

    void everyTextIsTranslated_data()
    {
        QTest::addColumn<QString>("context");
        const QList<Message> messages = readTs(tsPath());
        QVERIFY2(messages.size() > 300, qPrintable(u"%1 messages in %2"_s.arg(messages.size()).arg(tsPath())));
        QStringList contexts;
        for (const Message &m : messages) {
            if (!contexts.contains(m.context))
                contexts << m.context;
        }
        for (const QString &c : contexts)
            QTest::newRow(qPrintable(c)) << c;
    }
    void everyTextIsTranslated()
    {
        QFETCH(QString, context);
        for (const Message &m : readTs(tsPath())) {
            if (m.context != context)
                continue;
            const QString what = m.context + u": "_s + m.source;
            QVERIFY2(m.type.isEmpty(), qPrintable(what + u" is "_s + m.type));
            QVERIFY2(!m.translation.trimmed().isEmpty(), qPrintable(what + u" has no translation"_s));
            QVERIFY2(m.translation != m.source || englishWords(m.source, namesOfThings()).isEmpty(),
                qPrintable(what + u" is left in English"_s));
            // Every placeholder once, so that .arg() fills the same values in either language.
            QCOMPARE(placeholders(m.translation), placeholders(m.source));
            QCOMPARE(m.translation.startsWith(u'\n'), m.source.startsWith(u'\n'));
        }
    }

    // lupdate run afresh over the sources finds no text the committed .ts lacks: a tr() added
    // without its translation fails here, not in front of a user.
    void sourcesHoldNoTextWithoutItsTranslation()
    {
        QFile list(QStringLiteral(CACHESCOPE_TRANSLATABLE_LIST));
        QVERIFY2(list.open(QIODevice::ReadOnly), qPrintable(list.fileName()));
        const QStringList sources = QString::fromUtf8(list.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(sources.size() > 10);
        const QString fresh = m_dir.filePath(u"fresh.ts"_s);
        QVERIFY(QFile::copy(tsPath(), fresh));
        QFile::setPermissions(fresh, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        QStringList args {u"-I"_s, QStringLiteral(CACHESCOPE_SOURCE_DIR), u"-no-obsolete"_s, u"-locations"_s, u"none"_s,
            u"-silent"_s};
        args << sources << u"-ts"_s << fresh;
        lupdate.start(QStringLiteral(CACHESCOPE_LUPDATE), args);
        QVERIFY2(lupdate.waitForFinished(120000), qPrintable(lupdate.errorString()));
        QCOMPARE(lupdate.exitCode(), 0);
        QStringList untranslated;
        for (const Message &m : readTs(fresh)) {
            if (!m.type.isEmpty())
                untranslated << m.context + u": "_s + m.source;
        }
        QVERIFY2(
            untranslated.isEmpty(), qPrintable(u"not in the .ts, or not translated: "_s + untranslated.join(u" | "_s)));
        QCOMPARE(readTs(fresh).size(), readTs(tsPath()).size());
    }

    // The program carries the .ts as it is now (lrelease at build): each message, looked up in
    // the built-in .qm, gives the translation the .ts holds.
    void programCarriesTheTranslations()
    {
        QTranslator built;
        QVERIFY(built.load(u":/cachescope/i18n/cachescope_zh_CN.qm"_s));
        int checked = 0;
        for (const Message &m : readTs(tsPath())) {
            QCOMPARE(built.translate(m.context.toUtf8().constData(), m.source.toUtf8().constData()), m.translation);
            ++checked;
        }
        QVERIFY(checked > 300);
    }

    void languageFollowsTheChoiceThenTheLocale_data()
    {
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("expected");
        QTest::newRow("system, Chinese (China)") << u"system"_s << u"zh_CN"_s << u"zh_CN"_s;
        QTest::newRow("system, Chinese (Singapore)") << u"system"_s << u"zh_SG"_s << u"zh_CN"_s;
        QTest::newRow("system, Chinese (Taiwan): not Simplified") << u"system"_s << u"zh_TW"_s << u"en"_s;
        QTest::newRow("system, German: the source language") << u"system"_s << u"de_DE"_s << u"en"_s;
        QTest::newRow("system, English (US)") << u"system"_s << u"en_US"_s << u"en"_s;
        QTest::newRow("English chosen on a Chinese desktop") << u"en"_s << u"zh_CN"_s << u"en"_s;
        QTest::newRow("Chinese chosen on an English desktop") << u"zh_CN"_s << u"en_GB"_s << u"zh_CN"_s;
        QTest::newRow("an unknown choice follows the locale") << u"klingon"_s << u"zh_CN"_s << u"zh_CN"_s;
    }
    void languageFollowsTheChoiceThenTheLocale()
    {
        QFETCH(QString, choice);
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        QCOMPARE(language::resolve(choice, QLocale(locale)), expected);
        QCOMPARE(language::install(choice, QLocale(locale)), expected);
        // What the window would say: Run in the language installed.
        QCOMPARE(
            QCoreApplication::translate("cachescope::MainWindow", "Run"), expected == u"en"_s ? u"Run"_s : u"运行"_s);
        // Qt's own dialog buttons too, when Qt's translations are installed (qt6-translations-l10n).
        if (expected == u"zh_CN"_s)
            QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"取消"_s);
    }

    void chineseWindowShowsNoEnglish_data()
    {
        QTest::addColumn<bool>("afterARun");
        QTest::newRow("as it opens") << false;
        QTest::newRow("after a run with a warm-up and a projection") << true;
    }
    void chineseWindowShowsNoEnglish()
    {
        QFETCH(bool, afterARun);
        QCOMPARE(language::install(u"zh_CN"_s), u"zh_CN"_s);
        MainWindow window(m_db);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        if (afterARun) {
            Scenario s;
            s.db.path = m_db;
            s.workload.keys = 400;
            s.workload.concurrency = 4;
            s.workload.fields = u"id,sku"_s;
            s.cache.l1.capacity = 300;
            s.warmup.strategy = WarmupStrategy::Query;
            s.warmup.orderBy = u"id"_s;
            s.warmup.keys = 100;
            s.duration.baseline = std::chrono::milliseconds(600);
            s.duration.cached = std::chrono::milliseconds(600);
            window.setScenario(s);
            QSignalSpy shown(&window, &MainWindow::runShown);
            QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
            const auto result = shown.first().first().value<RunResult>();
            QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
            QVERIFY(result.kpi(u"cold_start_reduction"_s).has_value());
            QVERIFY(result.kpi(u"transfer_reduction"_s).has_value());
        }
        // The database's own names (its tables and columns) are names of things too.
        QSet<QString> names = namesOfThings();
        Database db(m_db, Database::OpenMode::ReadOnly);
        for (const TableChoice &t : listTables(db)) {
            names.insert(t.name);
            for (const QString &c : t.columns)
                names.insert(c);
        }
        QStringList english;
        int shown = 0;
        for (const QString &text : shownTexts(window)) {
            // A run's notes are its record, kept in English with the result (the JSON, the history).
            if (text.startsWith(u"phaseLabel tooltip"_s))
                continue;
            const QString what = text.section(u" ⟶ "_s, 1);
            ++shown;
            if (const QStringList words = englishWords(what, names); !words.isEmpty())
                english << text + u"  [" + words.join(u", "_s) + u']';
        }
        QVERIFY2(shown > 200, qPrintable(QString::number(shown)));
        QVERIFY2(english.isEmpty(), qPrintable(u"\n"_s + english.join(u"\n"_s)));
        if (afterARun)
            return;
        // The same check finds English in an English window: it is not blind.
        language::install(u"en"_s);
        MainWindow englishWindow(m_db);
        int found = 0;
        for (const QString &text : shownTexts(englishWindow))
            found += englishWords(text.section(u" ⟶ "_s, 1), names).isEmpty() ? 0 : 1;
        QVERIFY2(found > 150, qPrintable(QString::number(found)));
    }

    void languageChoiceIsRememberedAndSaidInTheNewLanguage_data()
    {
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QString>("said");
        QTest::newRow("Chinese") << u"zh_CN"_s << u"简体中文"_s;
        QTest::newRow("English") << u"en"_s << u"English"_s;
        QTest::newRow("follow the system") << u"system"_s << QString();
    }
    void languageChoiceIsRememberedAndSaidInTheNewLanguage()
    {
        QFETCH(QString, choice);
        QFETCH(QString, said);
        language::choose(choice == u"en"_s ? u"zh_CN"_s : u"en"_s); // a different language before
        MainWindow window(m_db);
        window.statusBar()->clearMessage();
        auto *action = window.findChild<QAction *>(u"language_"_s + choice);
        QVERIFY(action);
        action->trigger();
        QVERIFY(action->isChecked());
        QCOMPARE(language::chosen(), choice);
        QCOMPARE(QSettings(QSettings::NativeFormat, QSettings::UserScope, u"cachescope"_s, u"cachescope"_s)
                     .value(u"view/language"_s)
                     .toString(),
            choice);
        const QString message = window.statusBar()->currentMessage();
        if (choice == u"zh_CN"_s)
            QVERIFY2(message.contains(said) && message.contains(u"下次启动"_s), qPrintable(message));
        else if (choice == u"en"_s)
            QVERIFY2(message.contains(u"English when CacheScope starts again"_s), qPrintable(message));
        // The offscreen platform's locale decides "system"; a message only when it changes the language.
        else
            QCOMPARE(message.isEmpty(), language::resolve(u"system"_s) == u"en"_s);
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
