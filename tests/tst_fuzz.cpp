// Fuzzing the readers of what a user hands CacheScope: scenario JSON, --set values, key traces
// and hot-set snapshots. A seeded mutator (bit flips, byte insertions and deletions, duplicated
// and spliced ranges, tokens of each format) starts from valid inputs; an input that is accepted
// joins the corpus, so the search goes deeper than one mutation from a seed. Every input must be
// accepted or refused with the reader's own error; nothing else may escape, and ASan/UBSan (the
// asan preset) turn any memory error into a failure. Accepted scenarios must round-trip.
//
// Each target runs for CACHESCOPE_FUZZ_SECONDS (default 4) and at most 200,000 inputs, from
// CACHESCOPE_FUZZ_SEED (default 1; the failing seed and input are printed). The inputs in
// tests/data/fuzz/ (crashes found once, and seeds) are run first, every time.
#include "core/cache/tracereplay.h"
#include "core/db/database.h"
#include "core/scenario/scenario.h"
#include "core/scenario/scenario_p.h"
#include "core/scenario/settings.h"
#include "core/warmup/hotsetsnapshot.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <random>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
int budgetMs()
{
    bool ok = false;
    const double s = qEnvironmentVariable("CACHESCOPE_FUZZ_SECONDS").toDouble(&ok);
    return int((ok && s > 0 ? s : 4.0) * 1000);
}

std::uint64_t seed()
{
    bool ok = false;
    const qulonglong s = qEnvironmentVariable("CACHESCOPE_FUZZ_SEED").toULongLong(&ok);
    return ok ? s : 1;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
}

// Mutates inputs of one format: generic byte edits plus the format's own tokens.
class Mutator {
public:
    Mutator(std::uint64_t seed, QList<QByteArray> tokens)
        : m_rng(seed)
        , m_tokens(std::move(tokens))
    {
    }
    QByteArray mutate(QByteArray in, const QList<QByteArray> &corpus)
    {
        const int edits = 1 + int(below(4));
        for (int e = 0; e < edits; ++e) {
            const qsizetype n = in.size();
            const qsizetype at = n ? qsizetype(below(std::uint64_t(n))) : 0;
            switch (below(8)) {
            case 0: // flip a bit
                if (n)
                    in[at] = char(in[at] ^ char(1 << below(8)));
                break;
            case 1: // a random byte
                in.insert(at, char(below(256)));
                break;
            case 2: // delete a range
                if (n)
                    in.remove(at, qsizetype(1 + below(std::uint64_t(std::min<qsizetype>(16, n - at)))));
                break;
            case 3: // duplicate a range
                if (n)
                    in.insert(at, in.mid(at, qsizetype(1 + below(32))));
                break;
            case 4:
            case 5: // a token of the format
                if (!m_tokens.isEmpty())
                    in.insert(at, m_tokens[qsizetype(below(std::uint64_t(m_tokens.size())))]);
                break;
            case 6: // splice with another input
                if (!corpus.isEmpty()) {
                    const QByteArray &other = corpus[qsizetype(below(std::uint64_t(corpus.size())))];
                    const qsizetype from = other.isEmpty() ? 0 : qsizetype(below(std::uint64_t(other.size())));
                    in = in.left(at) + other.mid(from);
                }
                break;
            default: // an interesting number
                in.insert(at, QByteArray::number(qlonglong(kNumbers[below(std::size(kNumbers))])));
            }
        }
        return in.left(1 << 16);
    }
    std::uint64_t below(std::uint64_t n) { return n ? m_rng() % n : 0; }

private:
    static constexpr std::int64_t kNumbers[] {0, -1, 1, 2, 255, 256, 65535, 65536, 2147483647, -2147483648LL,
        std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(), 1000000000000LL};
    std::mt19937_64 m_rng;
    QList<QByteArray> m_tokens;
};

// Runs \a accept on the stored inputs, then on mutations until the time or count budget ends.
// \a accept returns true when the input was accepted, false when refused with the reader's own
// error; it throws anything else. Returns a message naming the input that failed, or empty.
QString fuzz(const QString &name, QList<QByteArray> corpus, const QList<QByteArray> &tokens,
    const std::function<bool(const QByteArray &)> &accept, int *accepted, int *tried)
{
    const QDir stored(QStringLiteral(CACHESCOPE_SOURCE_DIR "/tests/data/fuzz/") + name);
    for (const QString &entry : stored.entryList(QDir::Files))
        corpus.prepend(readFile(stored.filePath(entry)));
    Mutator mutator(seed(), tokens);
    const QDeadlineTimer deadline(budgetMs());
    const qsizetype fixed = corpus.size();
    for (*tried = 0; *tried < 200000; ++*tried) {
        const bool replaying = *tried < fixed;
        if (!replaying && deadline.hasExpired())
            break;
        const QByteArray input = replaying
            ? corpus[*tried]
            : mutator.mutate(corpus[qsizetype(mutator.below(std::uint64_t(corpus.size())))], corpus);
        try {
            if (accept(input)) {
                ++*accepted;
                if (!replaying && corpus.size() < 2000)
                    corpus.append(input);
            }
        } catch (const std::exception &error) {
            return u"%1: input %2 (seed %3) threw %4: %5\n%6"_s.arg(name).arg(*tried).arg(seed()).arg(
                QString::fromUtf8(typeid(error).name()), QString::fromUtf8(error.what()),
                QString::fromLatin1(input.toPercentEncoding()));
        }
    }
    return {};
}
} // namespace

class TestFuzz : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void scenarioJsonIsAcceptedOrRefusedByName()
    {
        QList<QByteArray> corpus {readFile(QStringLiteral(CACHESCOPE_SOURCE_DIR "/resources/scenarios/default.json")),
            QJsonDocument(Scenario().toJson()).toJson(QJsonDocument::Compact),
            R"({"criteria":[{"name":"h","kpi":"hit_rate","op":">=","target":0.9}],
                "changes":[{"phase":"cached","at":"1s","set":["cache.l1.capacity=10"]}]})"};
        QList<QByteArray> tokens {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "1e309", "-0",
            "\"\\u0000\"", "\"\\ud800\"", "\"5ms\"", "\"zipf\""};
        for (const SettingDef &setting : settingTable())
            tokens << "\"" + setting.key.section(u'.', -1).toUtf8() + "\"";
        int accepted = 0;
        int tried = 0;
        const QString failure = fuzz(
            u"scenario"_s, corpus, tokens,
            [](const QByteArray &input) {
                try {
                    const Scenario s = detail::scenarioFromText(input, u"fuzz.json"_s);
                    // What was accepted reads back the same.
                    if (!(Scenario::fromJson(s.toJson()) == s))
                        throw std::logic_error("an accepted scenario does not round-trip");
                    return true;
                } catch (const ScenarioError &) {
                    return false;
                }
            },
            &accepted, &tried);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("scenario: %d inputs, %d accepted", tried, accepted);
        QVERIFY(accepted > 0);
    }

    void setValuesAreAcceptedOrRefusedByName()
    {
        QList<QByteArray> corpus;
        QList<QByteArray> tokens {
            "=", ",", " ", "s", "ms", "us", "m", "h", "-", ".", "e", "nan", "inf", "\xc2\xb5", "true"};
        for (const SettingDef &setting : settingTable())
            corpus << setting.key.toUtf8() + "=" + setting.defaultText().toUtf8();
        int accepted = 0;
        int tried = 0;
        const QString failure = fuzz(
            u"set"_s, corpus, tokens,
            [](const QByteArray &input) {
                Scenario s;
                try {
                    s.applyAssignment(QString::fromUtf8(input));
                } catch (const ScenarioError &) {
                    return false;
                }
                if (!(Scenario::fromJson(s.toJson()) == s))
                    throw std::logic_error("a scenario after --set does not round-trip");
                return true;
            },
            &accepted, &tried);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("--set: %d inputs, %d accepted", tried, accepted);
        QVERIFY(accepted > 0);
    }

    void tracesAreReadOrRefusedByName_data()
    {
        QTest::addColumn<int>("format");
        QTest::addRow("keys") << int(TraceReplay::Format::Keys);
        QTest::addRow("csv") << int(TraceReplay::Format::Csv);
    }
    void tracesAreReadOrRefusedByName()
    {
        QFETCH(int, format);
        const QString path = m_dir.filePath(u"trace"_s);
        const QList<QByteArray> corpus {
            "1\n2\n3\n18446744073709551615\n", "time,key\n1,\"/a\"\n2,42\n3,\"x,y\"\n", "1\r\n\r\n2\r\n"};
        const QList<QByteArray> tokens {
            "\n", "\r\n", ",", "\"", "-", "18446744073709551616", "0x10", " ", "\t", QByteArray(1, '\0')};
        int accepted = 0;
        int tried = 0;
        const QString failure = fuzz(
            format == 0 ? u"trace-keys"_s : u"trace-csv"_s, corpus, tokens,
            [&](const QByteArray &input) {
                writeFile(path, input);
                std::uint64_t keys = 0;
                KeyTrace t;
                try {
                    t = TraceReplay::scan(path, TraceReplay::Format(format), 1 + int(input.size() % 3),
                        [&keys](std::int64_t) { ++keys; });
                } catch (const std::runtime_error &) {
                    return false;
                }
                // Every line counted is a key or a bad line.
                if (t.lines != keys + t.badLines)
                    throw std::logic_error("lines, keys and bad lines do not add up");
                return true;
            },
            &accepted, &tried);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("traces: %d inputs, %d read", tried, accepted);
    }

    void hotSetSnapshotsAreReadOrRefusedByName()
    {
        const QString good = m_dir.filePath(u"good.hotset"_s);
        HotSet hot;
        hot.database = u"/data/shop.db"_s;
        hot.table = u"products"_s;
        hot.keyColumn = u"id"_s;
        hot.observed = 1000;
        for (int i = 0; i < 300; ++i)
            hot.keys.push_back({i * 7, std::uint64_t(1000 - i), 0});
        HotSetSnapshot::save(good, hot);
        const QString path = m_dir.filePath(u"fuzzed.hotset"_s);
        int accepted = 0;
        int tried = 0;
        const QString failure = fuzz(
            u"hotset"_s, {readFile(good)}, {QByteArray(4, '\0'), QByteArray(4, '\xff'), "CSHS"},
            [&](const QByteArray &input) {
                writeFile(path, input);
                try {
                    HotSetSnapshot::load(path);
                    return true;
                } catch (const SnapshotError &) {
                    return false;
                }
            },
            &accepted, &tried);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("hot sets: %d inputs, %d read", tried, accepted);
        QVERIFY(accepted > 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzz)
#include "tst_fuzz.moc"
