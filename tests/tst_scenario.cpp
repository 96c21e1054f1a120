// Scenarios: every --set key parses and validates with a message naming the key, JSON
// round-trips, and unknown or ill-typed fields in a file are rejected by name.
#include "core/scenario/presets.h"
#include "core/scenario/scenario.h"
#include "core/scenario/scenario_p.h"
#include "core/scenario/settings.h"

#include <QDir>
#include <QFile>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestScenario : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void durationsParseWithTheirUnits_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("nanos");
        QTest::addRow("microseconds") << u"250us"_s << qint64(250'000);
        QTest::addRow("milliseconds") << u"5ms"_s << qint64(5'000'000);
        QTest::addRow("seconds") << u"30s"_s << qint64(30'000'000'000);
        QTest::addRow("minutes") << u"2m"_s << qint64(120'000'000'000);
        QTest::addRow("hours") << u"1h"_s << qint64(3'600'000'000'000);
        QTest::addRow("bare number is seconds") << u"1.5"_s << qint64(1'500'000'000);
        QTest::addRow("zero") << u"0"_s << qint64(0);
        QTest::addRow("garbage") << u"soon"_s << qint64(-1);
        QTest::addRow("negative") << u"-3s"_s << qint64(-1);
        QTest::addRow("unknown unit") << u"3 days"_s << qint64(-1);
    }
    void durationsParseWithTheirUnits()
    {
        QFETCH(QString, text);
        QFETCH(qint64, nanos);
        const auto parsed = cachescope::parseDuration(text);
        QCOMPARE(parsed ? qint64(parsed->count()) : qint64(-1), nanos);
        if (parsed)
            QCOMPARE(cachescope::parseDuration(formatDuration(*parsed))->count(), parsed->count());
    }

    void setAcceptsEveryKey_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addRow("db.path") << u"db.path=/tmp/x.db"_s;
        QTest::addRow("db.table") << u"db.table=items"_s;
        QTest::addRow("db.key") << u"db.key=item_id"_s;
        QTest::addRow("workload.concurrency") << u"workload.concurrency=64"_s;
        QTest::addRow("workload.keys") << u"workload.keys=5000"_s;
        QTest::addRow("workload.zipf") << u"workload.zipf=1.2"_s;
        QTest::addRow("workload.seed") << u"workload.seed=7"_s;
        QTest::addRow("workload.distribution") << u"workload.distribution=uniform"_s;
        QTest::addRow("cache.l1.capacity") << u"cache.l1.capacity=123"_s;
        QTest::addRow("cache.l1.ttl") << u"cache.l1.ttl=250ms"_s;
        QTest::addRow("cache.l1.policy") << u"cache.l1.policy=s3fifo"_s;
        QTest::addRow("cache.l2.capacity") << u"cache.l2.capacity=50000"_s;
        QTest::addRow("cache.l2.ttl") << u"cache.l2.ttl=10m"_s;
        QTest::addRow("cache.l2.policy") << u"cache.l2.policy=wtinylfu"_s;
        QTest::addRow("cache.mode") << u"cache.mode=exclusive"_s;
        QTest::addRow("cache.l1.max_bytes") << u"cache.l1.max_bytes=1048576"_s;
        QTest::addRow("cache.l2.max_bytes") << u"cache.l2.max_bytes=67108864"_s;
        QTest::addRow("cache.ttl_jitter") << u"cache.ttl_jitter=0.25"_s;
        QTest::addRow("cache.write_policy") << u"cache.write_policy=write-through"_s;
        QTest::addRow("duration.baseline") << u"duration.baseline=3s"_s;
        QTest::addRow("duration.cached") << u"duration.cached=2m"_s;
        QTest::addRow("engine.workers") << u"engine.workers=1"_s;
        QTest::addRow("engine.metrics") << u"engine.metrics=off"_s;
        QTest::addRow("db.rtt") << u"db.rtt=500us"_s;
        QTest::addRow("db.rtt_jitter") << u"db.rtt_jitter=100us"_s;
        QTest::addRow("db.failure_rate") << u"db.failure_rate=0.01"_s;
        QTest::addRow("db.connections") << u"db.connections=4"_s;
        QTest::addRow("db.retries") << u"db.retries=3"_s;
        QTest::addRow("db.retry_backoff") << u"db.retry_backoff=5ms"_s;
        QTest::addRow("db.stall") << u"db.stall=200ms"_s;
        QTest::addRow("db.stall_every") << u"db.stall_every=1000"_s;
        QTest::addRow("workload.model") << u"workload.model=open"_s;
        QTest::addRow("workload.rate") << u"workload.rate=2000"_s;
        QTest::addRow("workload.arrival") << u"workload.arrival=constant"_s;
        QTest::addRow("workload.read_ratio") << u"workload.read_ratio=0.9"_s;
        QTest::addRow("workload.think_time") << u"workload.think_time=2ms"_s;
        QTest::addRow("workload.fields") << u"workload.fields=name,price"_s;
        QTest::addRow("workload.hot_keys") << u"workload.hot_keys=0.05"_s;
        QTest::addRow("workload.hot_requests") << u"workload.hot_requests=0.95"_s;
        QTest::addRow("workload.shift_every") << u"workload.shift_every=30s"_s;
        QTest::addRow("workload.trace") << u"workload.trace=/tmp/t.keys"_s;
        QTest::addRow("workload.trace_format") << u"workload.trace_format=csv"_s;
        QTest::addRow("workload.trace_column") << u"workload.trace_column=3"_s;
        QTest::addRow("cache.batch_loads") << u"cache.batch_loads=true"_s;
        QTest::addRow("cache.batch_window") << u"cache.batch_window=1ms"_s;
        QTest::addRow("cache.batch_max") << u"cache.batch_max=128"_s;
        QTest::addRow("duration.warmup") << u"duration.warmup=2s"_s;
    }
    // Each key changes exactly its own field, as seen in the JSON form.
    void setAcceptsEveryKey()
    {
        QFETCH(QString, assignment);
        Scenario s;
        const QJsonObject before = s.toJson();
        s.applyAssignment(assignment);
        QVERIFY(s != Scenario());
        const QString key = assignment.section(u'=', 0, 0);
        const QString value = assignment.section(u'=', 1);
        QJsonValue node = s.toJson();
        for (const QString &part : key.split(u'.'))
            node = node.toObject().value(part);
        const QString shown
            = node.isString() ? node.toString() : QString::number(node.toDouble(), 'g', QLocale::FloatingPointShortest);
        QCOMPARE(shown, value);
        QVERIFY(before != s.toJson());
    }

    void setAcceptsTheRangesBounds_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addRow("lowest concurrency") << u"workload.concurrency=1"_s;
        QTest::addRow("highest concurrency") << u"workload.concurrency=4096"_s;
        QTest::addRow("no reads") << u"workload.read_ratio=0"_s;
        QTest::addRow("only reads") << u"workload.read_ratio=1"_s;
    }
    // A range includes its bounds.
    void setAcceptsTheRangesBounds()
    {
        QFETCH(QString, assignment);
        Scenario s;
        s.applyAssignment(assignment);
        const QString key = assignment.section(u'=', 0, 0);
        QCOMPARE(settingText(s, key), assignment.section(u'=', 1));
    }

    void setRejectsBadInput_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unknown key") << u"cache.l3.capacity=5"_s << u"unknown setting 'cache.l3.capacity'"_s;
        QTest::addRow("no value") << u"workload.keys"_s << u"expects KEY=VALUE"_s;
        QTest::addRow("not a number") << u"workload.concurrency=many"_s << u"workload.concurrency: 'many'"_s;
        QTest::addRow("not an integer") << u"workload.keys=1.5"_s << u"expected an integer"_s;
        QTest::addRow("below range") << u"workload.concurrency=0"_s << u"between 1 and 4096"_s;
        QTest::addRow("above range") << u"workload.concurrency=4097"_s << u"between 1 and 4096"_s;
        QTest::addRow("share above one") << u"workload.read_ratio=1.5"_s << u"between 0 and 1"_s;
        QTest::addRow("negative exponent") << u"workload.zipf=-1"_s << u"workload.zipf"_s;
        QTest::addRow("bad duration") << u"cache.l1.ttl=forever"_s << u"expected a duration"_s;
        QTest::addRow("bad choice") << u"workload.distribution=pareto"_s << u"one of: zipf, uniform"_s;
        QTest::addRow("bad mode") << u"cache.mode=both"_s << u"one of: inclusive, exclusive"_s;
        QTest::addRow("policy not available") << u"cache.l1.policy=arc"_s << u"one of: lru, s3fifo, wtinylfu"_s;
    }
    void setRejectsBadInput()
    {
        QFETCH(QString, assignment);
        QFETCH(QString, expected);
        Scenario s;
        try {
            s.applyAssignment(assignment);
            QFAIL("bad input must throw");
        } catch (const ScenarioError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
        QVERIFY(s == Scenario()); // nothing changed
    }

    // load → save → load gives the same scenario, every field included.
    void jsonRoundTrips()
    {
        Scenario s;
        for (const auto &a : {u"db.path=/data/shop.db"_s, u"workload.zipf=1.1"_s, u"workload.keys=777"_s,
                 u"cache.l1.ttl=1500us"_s, u"duration.baseline=0"_s, u"engine.workers=3"_s})
            s.applyAssignment(a);
        s.criteria = {{u"fast"_s, u"p99_reduction"_s, u"<="_s, 0.25}};
        const Scenario back = Scenario::fromJson(s.toJson());
        QVERIFY(back == s);
        QCOMPARE(QJsonDocument(back.toJson()).toJson(), QJsonDocument(s.toJson()).toJson());
        QVERIFY(Scenario::fromJson(Scenario().toJson()) == Scenario());
    }

    void fromJsonRejectsBadFields_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unknown field") << QByteArray(R"({"cache":{"l1":{"size":5}}})")
                                       << u"unknown field 'cache.l1.size'"_s;
        QTest::addRow("wrong type") << QByteArray(R"({"workload":{"concurrency":"lots"}})")
                                    << u"workload.concurrency"_s;
        QTest::addRow("text for number field") << QByteArray(R"({"workload":{"keys":true}})") << u"workload.keys"_s;
        QTest::addRow("criteria not array") << QByteArray(R"({"criteria":5})") << u"criteria: expected an array"_s;
        QTest::addRow("unknown kpi") << QByteArray(R"({"criteria":[{"kpi":"speed","target":1}]})")
                                     << u"criteria[0].kpi"_s;
        QTest::addRow("bad op") << QByteArray(R"({"criteria":[{"kpi":"hit_rate","op":"==","target":1}]})")
                                << u"criteria[0].op"_s;
        QTest::addRow("missing target") << QByteArray(R"({"criteria":[{"kpi":"hit_rate"}]})")
                                        << u"criteria[0].target"_s;
        QTest::addRow("changes not array") << QByteArray(R"({"changes":{}})") << u"changes: expected an array"_s;
        QTest::addRow("change of a fixed key") << QByteArray(R"({"changes":[{"at":"1s","set":["db.table=orders"]}]})")
                                               << u"changes[0].set: 'db.table' cannot change during a run"_s;
        QTest::addRow("change to a bad value")
            << QByteArray(R"({"changes":[{"at":"1s","set":["cache.l1.capacity=-1"]}]})")
            << u"changes[0].set: cache.l1.capacity"_s;
        QTest::addRow("change without a time")
            << QByteArray(R"({"changes":[{"set":["cache.l1.capacity=10"]}]})") << u"changes[0].at"_s;
        QTest::addRow("change of an unknown phase")
            << QByteArray(R"({"changes":[{"phase":"warm","at":"1s","set":["cache.l1.capacity=10"]}]})")
            << u"changes[0].phase"_s;
        // A value of the wrong type used to fall back to the default silently.
        QTest::addRow("op as a number") << QByteArray(R"({"criteria":[{"kpi":"hit_rate","op":5,"target":1}]})")
                                        << u"criteria[0].op: expected text, not 5"_s;
        QTest::addRow("name as a number") << QByteArray(R"({"criteria":[{"name":7,"kpi":"hit_rate","target":1}]})")
                                          << u"criteria[0].name: expected text, not 7"_s;
        QTest::addRow("kpi as a number") << QByteArray(R"({"criteria":[{"kpi":1,"target":1}]})")
                                         << u"criteria[0].kpi: expected text"_s;
        QTest::addRow("no criteria") << QByteArray(R"({"criteria":[]})") << u"criteria: the list is empty"_s;
        QTest::addRow("change phase as a number")
            << QByteArray(R"({"changes":[{"phase":1,"at":"1s","set":["cache.l1.capacity=10"]}]})")
            << u"changes[0].phase: expected text"_s;
        QTest::addRow("change set holds a number")
            << QByteArray(R"({"changes":[{"at":"1s","set":[10]}]})") << u"changes[0].set: expected"_s;
        QTest::addRow("change with nothing to set")
            << QByteArray(R"({"changes":[{"at":"1s","set":[]}]})") << u"changes[0].set: expected a non-empty array"_s;
    }
    void fromJsonRejectsBadFields()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        try {
            Scenario::fromJson(QJsonDocument::fromJson(json).object());
            QFAIL("a bad field must throw");
        } catch (const ScenarioError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
    }

    // Scheduled changes round-trip through JSON.
    void changesRoundTrip()
    {
        Scenario s;
        s.changes = {{u"cached"_s, std::chrono::seconds(3),
                         ConfigChange::parse({u"cache.l1.capacity=60000"_s, u"cache.l1.policy=s3fifo"_s}, true)},
            {u"baseline"_s, std::chrono::milliseconds(500), ConfigChange::parse({u"workload.concurrency=4"_s}, true)}};
        QCOMPARE(Scenario::fromJson(s.toJson()), s);
    }

    void fromFileNamesTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"broken.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"workload\": { ");
        f.close();
        try {
            Scenario::fromFile(path);
            QFAIL("broken JSON must throw");
        } catch (const ScenarioError &error) {
            QVERIFY2(error.message().contains(path) && error.message().contains(u"not valid JSON"_s),
                qPrintable(error.message()));
        }
        QVERIFY_THROWS_EXCEPTION(ScenarioError, Scenario::fromFile(dir.filePath(u"missing.json"_s)));
    }

    // A scenario file whose JSON is valid but not what the user meant is refused with the key.
    void fromFileRefusesRepeatsAndHugeFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::addRow("a repeated setting")
            << QByteArray(R"({"cache":{"l1":{"ttl":"5s","ttl":"10s"}}})") << u"cache.l1.ttl' is given twice"_s;
        QTest::addRow("a repeated section")
            << QByteArray(R"({"cache":{"l1":{}},"workload":{},"cache":{}})") << u"cache' is given twice"_s;
        QTest::addRow("repeated in a criterion")
            << QByteArray(R"({"criteria":[{"kpi":"hit_rate","target":1},{"kpi":"hit_rate","target":1,"kpi":"x"}]})")
            << u"criteria[1].kpi' is given twice"_s;
        QTest::addRow("the same key escaped")
            << QByteArray(R"({"workload":{"keys":5,"\u006beys":6}})") << u"workload.keys' is given twice"_s;
        QTest::addRow("over 4 MiB") << QByteArray(R"({"workload":{}, "x":")") + QByteArray(5 << 20, 'a') + "\"}"
                                    << u"is larger than 4 MiB"_s;
    }
    void fromFileRefusesRepeatsAndHugeFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        try {
            Scenario::fromFile(path);
            QFAIL("the file was accepted");
        } catch (const ScenarioError &error) {
            QVERIFY2(error.message().contains(expected) && error.message().contains(path), qPrintable(error.message()));
        }
    }

    // Keys that look alike but differ, and the same key in different objects, are not repeats.
    void distinctKeysAreNotRepeats()
    {
        const QByteArray text = "{\"cache\":{\"l1\":{\"ttl\":\"5s\"},\"l2\":{\"ttl\":\"5s\"}},"
                                "\"criteria\":[{\"kpi\":\"hit_rate\"},{\"kpi\":\"hit_rate\"}],"
                                "\"s\":\"a\\\"b{c\", \"s2\":\"}\"}";
        QVERIFY(!QJsonDocument::fromJson(text).isNull());
        QCOMPARE(detail::firstDuplicateKey(text), QString());
    }

    // The shipped default scenario is the built-in default.
    void shippedDefaultMatches()
    {
        const Scenario shipped
            = Scenario::fromFile(QStringLiteral(CACHESCOPE_SOURCE_DIR "/resources/scenarios/default.json"));
        QVERIFY(shipped == Scenario());
        QVERIFY(presetScenario(u"default"_s) == Scenario());
    }

    // Every preset file is built in and listed, every listed preset loads, and each says what its
    // description promises.
    void presetsAreBuiltInAndSayWhatTheyPromise()
    {
        QStringList files = QDir(QStringLiteral(CACHESCOPE_SOURCE_DIR "/resources/scenarios"))
                                .entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        QStringList listed;
        for (const ScenarioPreset &p : scenarioPresets()) {
            listed << p.name + u".json"_s;
            QVERIFY2(QFile::exists(p.resourcePath()), qPrintable(p.name));
            QVERIFY(!p.title.isEmpty() && !p.description.isEmpty());
            presetScenario(p.name); // reads as a valid scenario (throws otherwise)
        }
        listed.sort();
        QCOMPARE(listed, files);

        const Scenario seed = presetScenario(u"seed-plan"_s);
        QCOMPARE(seed.cache.l1.capacity, std::int64_t(1000));
        QCOMPARE(seed.cache.l1.ttl, std::chrono::nanoseconds(std::chrono::seconds(60)));
        QCOMPARE(seed.cache.l2.capacity, std::int64_t(10000));
        QCOMPARE(seed.cache.l2.ttl, std::chrono::nanoseconds(std::chrono::seconds(600)));

        // Tuned: every default criterion, and what measures the last two (a projection, a warm-up).
        const Scenario tuned = presetScenario(u"tuned"_s);
        QCOMPARE(tuned.criteria.size(), Scenario::defaultCriteria().size());
        QVERIFY(!tuned.workload.fields.isEmpty());
        QVERIFY(tuned.warmsUp() && tuned.warmup.compare);
        QVERIFY(tuned.cache.l1.capacity >= tuned.workload.keys);

        QVERIFY_THROWS_EXCEPTION(ScenarioError, presetScenario(u"no-such-preset"_s));
        QVERIFY(!findPreset(u"no-such-preset"_s));
    }

    // docs/scenario.md's table says of each setting what the settings table says: key, type,
    // default, accepted values and whether it is live (the prose column is the docs' own).
    void docsTableMatchesTheSettingsTable()
    {
        QFile file(QStringLiteral(CACHESCOPE_SOURCE_DIR "/docs/scenario.md"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList documented;
        for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n')) {
            if (line.startsWith(u"| `"_s))
                documented << line;
        }
        QStringList expected = settingsMarkdown().split(u'\n', Qt::SkipEmptyParts).mid(2);
        QCOMPARE(documented.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            // Everything up to the last column; cachescope run --list-settings --markdown prints it.
            const QString want = expected[i].left(expected[i].lastIndexOf(u" | "_s));
            QVERIFY2(documented[i].startsWith(want + u" | "_s),
                qPrintable(
                    u"docs/scenario.md row %1 should start: %2\n  it is: %3"_s.arg(i + 1).arg(want, documented[i])));
        }
    }

    // Every setting's default reads back through its own text form, and the JSON form holds it
    // at its dotted path.
    void everySettingRoundTripsThroughTextAndJson_data()
    {
        QTest::addColumn<QString>("key");
        for (const SettingDef &setting : settingTable())
            QTest::addRow("%s", qPrintable(setting.key)) << setting.key;
    }
    void everySettingRoundTripsThroughTextAndJson()
    {
        QFETCH(QString, key);
        const SettingDef *setting = findSetting(key);
        QVERIFY(setting);
        const Scenario defaults;
        const SettingValue value = setting->get(defaults);
        QCOMPARE(setting->parse(QJsonValue(setting->text(value))), value);
        QCOMPARE(setting->parse(setting->json(value)), value);
        QJsonValue node = defaults.toJson();
        for (const QString &part : key.split(u'.'))
            node = node.toObject().value(part);
        QCOMPARE(node, setting->json(value));
        QCOMPARE(settingText(defaults, key), setting->defaultText());
    }

    // A change between two scenarios holds exactly the settings that differ (live ones only when
    // asked), and applying it turns the first into the second.
    void changeBetweenScenariosAppliesBack_data()
    {
        QTest::addColumn<QStringList>("assignments");
        QTest::addColumn<bool>("liveOnly");
        QTest::addColumn<QStringList>("expectedKeys");
        QTest::addRow("nothing") << QStringList {} << true << QStringList {};
        QTest::addRow("one live setting")
            << QStringList {u"cache.l1.ttl=250ms"_s} << true << QStringList {u"cache.l1.ttl"_s};
        QTest::addRow("an enum and a flag") << QStringList {u"cache.mode=exclusive"_s, u"cache.batch_loads=true"_s}
                                            << false << QStringList {u"cache.mode"_s, u"cache.batch_loads"_s};
        QTest::addRow("a fixed setting left out when live only") << QStringList {u"db.table=orders"_s,
            u"workload.concurrency=3"_s} << true << QStringList {u"workload.concurrency"_s};
        QTest::addRow("table order, not the order given") << QStringList {u"engine.metrics=off"_s, u"db.rtt=1ms"_s}
                                                          << false << QStringList {u"db.rtt"_s, u"engine.metrics"_s};
    }
    void changeBetweenScenariosAppliesBack()
    {
        QFETCH(QStringList, assignments);
        QFETCH(bool, liveOnly);
        QFETCH(QStringList, expectedKeys);
        const Scenario from;
        Scenario to;
        for (const QString &a : assignments)
            to.applyAssignment(a);
        const ConfigChange change = ConfigChange::between(from, to, liveOnly);
        QCOMPARE(change.keys(), expectedKeys);
        Scenario applied = from;
        change.applyTo(applied);
        QCOMPARE(ConfigChange::between(applied, to, liveOnly), ConfigChange {});
        // The text form reads back to the same typed change.
        QCOMPARE(ConfigChange::parse(change.toStrings(), false), change);
    }

    // Text at the edge is checked once: unknown keys, bad values and (live only) fixed settings
    // are refused with the key named.
    void changeTextIsRefusedByName_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<bool>("liveOnly");
        QTest::addColumn<QString>("message");
        QTest::addRow("no equals sign") << u"cache.l1.ttl"_s << false << u"expected KEY=VALUE"_s;
        QTest::addRow("unknown key") << u"cache.l3.ttl=1s"_s << false << u"unknown setting 'cache.l3.ttl'"_s;
        QTest::addRow("out of range") << u"cache.l1.capacity=-5"_s << true << u"cache.l1.capacity: '-5'"_s;
        QTest::addRow("not a choice") << u"cache.mode=both"_s << true << u"expected one of: inclusive, exclusive"_s;
        QTest::addRow("fixed during a run") << u"db.table=orders"_s << true << u"'db.table' cannot change"_s;
    }
    void changeTextIsRefusedByName()
    {
        QFETCH(QString, assignment);
        QFETCH(bool, liveOnly);
        QFETCH(QString, message);
        try {
            ConfigChange::parse({assignment}, liveOnly);
            QFAIL("accepted");
        } catch (const ScenarioError &error) {
            QVERIFY2(error.message().contains(message), qPrintable(error.message()));
        }
    }

    // A typed value made by hand is checked against its setting: the wrong kind, a choice out of
    // range or a value out of range is refused.
    void typedValuesAreChecked_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<SettingValue>("value");
        QTest::addColumn<bool>("valid");
        QTest::addRow("capacity in range") << u"cache.l1.capacity"_s << SettingValue(std::int64_t(10)) << true;
        QTest::addRow("capacity below range") << u"cache.l1.capacity"_s << SettingValue(std::int64_t(-1)) << false;
        QTest::addRow("choice out of range") << u"cache.mode"_s << SettingValue(Choice {7}) << false;
        QTest::addRow("flag for a capacity") << u"cache.l1.capacity"_s << SettingValue(true) << false;
        QTest::addRow("policy by index") << u"cache.l1.policy"_s << SettingValue(Choice {1}) << true;
    }
    void typedValuesAreChecked()
    {
        QFETCH(QString, key);
        QFETCH(SettingValue, value);
        QFETCH(bool, valid);
        bool accepted = true;
        try {
            QCOMPARE(findSetting(key)->checked(value), value);
        } catch (const ScenarioError &) {
            accepted = false;
        }
        QCOMPARE(accepted, valid);
    }
    // A criterion's verdict is its margin's sign: at least the target for >=, at most for <=;
    // nothing measured, no verdict.
    void criterionVerdictFollowsItsMargin_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<double>("target");
        QTest::addColumn<double>("measured");
        QTest::addColumn<double>("margin");
        QTest::addColumn<bool>("met");
        QTest::addRow(">= above") << u">="_s << 0.99 << 0.995 << 0.995 - 0.99 << true;
        QTest::addRow(">= exactly") << u">="_s << 0.99 << 0.99 << 0.0 << true;
        QTest::addRow(">= below") << u">="_s << 5.0 << 4.0 << -1.0 << false;
        QTest::addRow("<= below") << u"<="_s << 0.5 << 0.25 << 0.25 << true;
        QTest::addRow("<= above") << u"<="_s << 0.5 << 0.75 << -0.25 << false;
    }
    void criterionVerdictFollowsItsMargin()
    {
        QFETCH(QString, op);
        QFETCH(double, target);
        QFETCH(double, measured);
        QFETCH(double, margin);
        QFETCH(bool, met);
        const Criterion c {u"c"_s, u"hit_rate"_s, op, target};
        QCOMPARE(*c.margin(measured), margin);
        QCOMPARE(*c.met(measured), met);
        QVERIFY(!c.met(std::nullopt));
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
