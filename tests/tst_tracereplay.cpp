// Reading traces: keys, CSV and oracleGeneral formats, zstd-compressed files, header detection,
// bad lines counted with their line numbers, text keys hashed stably; the replay decides as a
// single-shard CacheTier does, on one thread or several.
#include "core/cache/cachetier.h"
#include "core/cache/evictionpolicy.h"
#include "core/cache/tracereplay.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

#include <zstd.h>

#include <random>

using namespace cachescope;
using namespace Qt::StringLiterals;

class TestTraceReplay : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString write(const QByteArray &content)
    {
        static int n = 0;
        const QString path = m_dir.filePath(u"t%1"_s.arg(++n));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return path;
    }

    // A skewed stream of \a n keys over \a distinct keys, seeded.
    static std::vector<std::int64_t> skewed(std::size_t n, std::uint64_t distinct, std::uint64_t seed)
    {
        std::mt19937_64 rng(seed);
        std::vector<std::int64_t> keys(n);
        for (auto &k : keys) {
            const double u = double(rng() >> 11) * 0x1.0p-53;
            k = std::int64_t(double(distinct) * u * u * u); // most requests on the low keys
        }
        return keys;
    }
    // libCacheSim's oracleGeneral records for \a keys.
    static QByteArray oracleGeneral(const std::vector<std::int64_t> &keys)
    {
        QByteArray out;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            char record[24] = {};
            const auto t = std::uint32_t(i);
            const auto id = std::uint64_t(keys[i]);
            const std::uint32_t size = 100;
            const std::int64_t next = -1;
            std::memcpy(record, &t, 4);
            std::memcpy(record + 4, &id, 8);
            std::memcpy(record + 12, &size, 4);
            std::memcpy(record + 16, &next, 8);
            out.append(record, 24);
        }
        return out;
    }
    // \a path compressed with zstd, as the zstd tool writes it (one frame, content checksum), in
    // process: a fork here would follow the replay's threads (ThreadSanitizer refuses that).
    static QString zstd(const QString &path)
    {
        QFile in(path);
        if (!in.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(path));
        const QByteArray plain = in.readAll();
        QByteArray packed(qsizetype(ZSTD_compressBound(std::size_t(plain.size()))), Qt::Uninitialized);
        ZSTD_CCtx *context = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
        const std::size_t n = ZSTD_compress2(
            context, packed.data(), std::size_t(packed.size()), plain.constData(), std::size_t(plain.size()));
        ZSTD_freeCCtx(context);
        if (ZSTD_isError(n))
            qFatal("zstd: %s", ZSTD_getErrorName(n));
        packed.resize(qsizetype(n));
        QFile out(path + u".zst"_s);
        if (!out.open(QIODevice::WriteOnly) || out.write(packed) != packed.size())
            qFatal("cannot write %s.zst", qPrintable(path));
        return path + u".zst"_s;
    }

private Q_SLOTS:
    // The replay's lean tier makes a single-shard CacheTier's decisions, request by request, for
    // every policy and a range of capacities (the tier's own decisions are checked against the
    // reference simulators in tst_evictionpolicy and tst_conformance).
    void replayDecidesAsACacheTier_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("capacity");
        for (const QString &policy : EvictionPolicy::names()) {
            for (const int capacity : {0, 1, 7, 64, 500, 3000})
                QTest::addRow("%s, %d", qPrintable(policy), capacity) << policy << capacity;
        }
    }
    void replayDecidesAsACacheTier()
    {
        QFETCH(QString, policy);
        QFETCH(int, capacity);
        const std::vector<std::int64_t> keys = skewed(40000, 5000, std::uint64_t(capacity));
        CacheTier tier({std::size_t(capacity), std::chrono::nanoseconds(0), 1, policy});
        std::vector<bool> tierHits;
        for (const std::int64_t key : keys) {
            const bool hit = tier.get(key).has_value();
            if (!hit)
                tier.put(key, QByteArray());
            tierHits.push_back(hit);
        }
        // Each request's decision: a trace of one key more at each step would be quadratic, so
        // the replay's running hit count is compared at every prefix through MultiReplay blocks
        // of one key (threads 1) — and the totals on several threads.
        TraceReplay::MultiReplay stepwise({policy}, {std::size_t(capacity)}, 1);
        std::uint64_t hitsSoFar = 0;
        for (std::size_t i = 0; i < 2000; ++i) {
            stepwise.access(keys[i]);
            hitsSoFar += tierHits[i] ? 1 : 0;
            QCOMPARE(stepwise.results().front().hits, hitsSoFar);
        }
        const TraceReplay::Result whole = TraceReplay::replay(keys, policy, std::size_t(capacity));
        QCOMPARE(whole.hits, std::uint64_t(std::count(tierHits.begin(), tierHits.end(), true)));
    }

    // A trace of several blocks replayed on 1 and 3 threads, over several policies and
    // capacities at once: every result is the one-policy replay's.
    void multiReplayOnThreadsDecidesAsOneReplay_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::addRow("one thread") << 1u;
        QTest::addRow("three threads") << 3u;
    }
    void multiReplayOnThreadsDecidesAsOneReplay()
    {
        QFETCH(unsigned, threads);
        const std::vector<std::int64_t> keys = skewed(2 * TraceReplay::MultiReplay::kBlock + 123, 50000, 9);
        const std::vector<std::size_t> capacities {100, 5000};
        TraceReplay::MultiReplay multi(EvictionPolicy::names(), capacities, threads);
        for (const std::int64_t key : keys)
            multi.access(key);
        const std::vector<TraceReplay::Result> results = multi.results();
        std::size_t i = 0;
        for (const QString &policy : EvictionPolicy::names()) {
            for (const std::size_t capacity : capacities) {
                const TraceReplay::Result one = TraceReplay::replay(keys, policy, capacity);
                QCOMPARE(results.at(i).policy, policy);
                QCOMPARE(results.at(i).requests, std::uint64_t(keys.size()));
                QCOMPARE(results.at(i).hits, one.hits);
                ++i;
            }
        }
    }

    // The same keys as text, as oracleGeneral records, and both compressed with zstd.
    void oracleGeneralAndZstdReadTheSameKeys_data()
    {
        QTest::addColumn<bool>("binary");
        QTest::addColumn<bool>("compressed");
        QTest::addRow("keys") << false << false;
        QTest::addRow("keys, zstd") << false << true;
        QTest::addRow("oracleGeneral") << true << false;
        QTest::addRow("oracleGeneral, zstd") << true << true;
    }
    void oracleGeneralAndZstdReadTheSameKeys()
    {
        QFETCH(bool, binary);
        QFETCH(bool, compressed);
        std::vector<std::int64_t> keys = skewed(200000, 1000000, 3); // over a MiB in every form
        keys.push_back(-1); // 2^64 − 1, the largest unsigned key
        QByteArray text;
        for (const std::int64_t k : keys)
            text += QByteArray::number(qulonglong(k)) + '\n';
        QString path = write(binary ? oracleGeneral(keys) : text);
        if (compressed)
            path = zstd(path);
        const KeyTrace t
            = TraceReplay::read(path, binary ? TraceReplay::Format::OracleGeneral : TraceReplay::Format::Keys);
        QCOMPARE(t.badLines, 0u);
        QCOMPARE(t.lines, std::uint64_t(keys.size()));
        QVERIFY(t.keys == keys);
    }

    // Bytes that are not whole records, and a damaged zstd file: counted, or refused by name.
    void brokenBinaryAndCompressedTracesAreReported()
    {
        QByteArray records = oracleGeneral({5, 6, 7});
        const KeyTrace cut = TraceReplay::read(write(records + "abc"), TraceReplay::Format::OracleGeneral);
        QCOMPARE(cut.keys, (std::vector<std::int64_t> {5, 6, 7}));
        QCOMPARE(cut.badLines, 1u);
        QVERIFY2(cut.badExamples.first().contains(u"3 bytes at the end"_s), qPrintable(cut.badExamples.first()));

        QByteArray text;
        for (int i = 0; i < 20000; ++i)
            text += QByteArray::number(i) + '\n';
        QFile compressed(zstd(write(text)));
        QVERIFY(compressed.open(QIODevice::ReadOnly));
        QByteArray bytes = compressed.readAll();
        compressed.close();
        const QString truncated = write(bytes.left(bytes.size() / 2));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TraceReplay::read(truncated, TraceReplay::Format::Keys));
        try {
            TraceReplay::read(truncated, TraceReplay::Format::Keys);
        } catch (const std::runtime_error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(truncated), e.what());
        }
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x55);
        bytes[bytes.size() / 3] = char(bytes[bytes.size() / 3] ^ 0x55);
        const QString damaged = write(bytes);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TraceReplay::read(damaged, TraceReplay::Format::Keys));
        QVERIFY(TraceReplay::formatNamed(u"oracleGeneral"_s) == TraceReplay::Format::OracleGeneral);
        QVERIFY(!TraceReplay::formatNamed(u"parquet"_s));
    }

    void traceFilesReadInEveryFormat_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("keys");
        QTest::addColumn<int>("bad");
        QTest::addColumn<bool>("header");
        QTest::addRow("keys") << QByteArray("1\n2\n18446744073709551615\n") << 0 << 1 << 3 << 0 << false;
        QTest::addRow("keys, CRLF and blank lines") << QByteArray("1\r\n\r\n2\r\n") << 0 << 1 << 2 << 0 << false;
        QTest::addRow("keys, bad lines") << QByteArray("1\nx\n2\n3.5\n") << 0 << 1 << 2 << 2 << false;
        QTest::addRow("csv with header") << QByteArray("time,key,size\n1,42,100\n2,43,100\n") << 1 << 2 << 2 << 0
                                         << true;
        QTest::addRow("csv without header") << QByteArray("1,42\n2,43\n") << 1 << 2 << 2 << 0 << false;
        QTest::addRow("csv, missing column") << QByteArray("1,42\n2\n3,44\n") << 1 << 2 << 2 << 1 << false;
        QTest::addRow("csv, quoted text keys")
            << QByteArray("t,key\n1,\"/a/b\"\n2,\"/a/c\"\n") << 1 << 2 << 2 << 0 << true;
    }
    void traceFilesReadInEveryFormat()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(int, column);
        QFETCH(int, keys);
        QFETCH(int, bad);
        QFETCH(bool, header);
        const KeyTrace t = TraceReplay::read(write(content), TraceReplay::Format(format), column);
        QCOMPARE(int(t.keys.size()), keys);
        QCOMPARE(int(t.badLines), bad);
        QCOMPARE(t.headerSkipped, header);
        QCOMPARE(t.badExamples.size(), qsizetype(bad));
    }

    // What is echoed of a bad line is quoted, escaped and short, whatever the line held.
    void badLinesAreNamed_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::addRow("text") << QByteArray("1\n2\nthree\n") << u"line 3: 'three' is not an unsigned integer key"_s;
        QTest::addRow("binary bytes") << QByteArray("1\n\x01\x1b[2J\xff\n", 9)
                                      << u"line 2: '\\x01\\x1b[2J\\xff' is not an unsigned integer key"_s;
        QTest::addRow("a long line") << QByteArray(1000, 'z') + "\n"
                                     << u"line 1: '"_s + QString(40, u'z') + u"…' is not an unsigned integer key"_s;
        // -1 and 2^64-1 would be one key in the cache's int64: a negative number is no key.
        QTest::addRow("negative") << QByteArray("18446744073709551615\n-1\n")
                                  << u"line 2: '-1' is not an unsigned integer key"_s;
        QTest::addRow("over 64 KiB") << QByteArray("1\n") + QByteArray(100000, '7') + "\n2\n"
                                     << u"line 2: longer than 65536 bytes"_s;
    }
    void badLinesAreNamed()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const KeyTrace t = TraceReplay::read(write(content), TraceReplay::Format::Keys);
        QCOMPARE(t.badExamples.value(0), expected);
        QCOMPARE(t.badLines, 1u);
    }

    // Streamed in chunks: keys across chunk boundaries, a last line without a newline, and the
    // one-pass replay of several tiers gives what a replay of each gives.
    void streamedReplayMatchesInMemory()
    {
        QByteArray content;
        std::mt19937_64 rng(7);
        for (int i = 0; i < 100000; ++i)
            content += QByteArray::number(qulonglong(rng() % 5000) * 1000000007ULL) + (i % 7 ? "\n" : "\r\n");
        content += "123"; // over a chunk (1 MiB) of text in all, the last line unfinished
        QVERIFY(content.size() > (1 << 20));
        const QString path = write(content);
        const KeyTrace all = TraceReplay::read(path, TraceReplay::Format::Keys);
        QCOMPARE(all.keys.size(), 100001u);
        QCOMPARE(all.keys.back(), 123);
        TraceReplay::MultiReplay multi(EvictionPolicy::names(), {100, 1000});
        std::uint64_t streamed = 0;
        TraceReplay::scan(path, TraceReplay::Format::Keys, 1, [&](std::int64_t key) {
            ++streamed;
            multi.access(key);
        });
        QCOMPARE(streamed, 100001u);
        std::size_t i = 0;
        for (const QString &policy : EvictionPolicy::names()) {
            for (const std::size_t capacity : {std::size_t(100), std::size_t(1000)}) {
                const TraceReplay::Result one = TraceReplay::replay(all.keys, policy, capacity);
                const TraceReplay::Result fromMulti = multi.results().at(i++);
                QCOMPARE(fromMulti.policy, one.policy);
                QCOMPARE(fromMulti.capacity, one.capacity);
                QCOMPARE(fromMulti.hits, one.hits);
                QCOMPARE(fromMulti.requests, one.requests);
            }
        }
    }

    void tooManyKeysForARunThrows()
    {
        QVERIFY_THROWS_EXCEPTION(
            std::runtime_error, TraceReplay::read(write("1\n2\n3\n4\n"), TraceReplay::Format::Keys, 1, 3));
        QCOMPARE(TraceReplay::read(write("1\n2\n3\n"), TraceReplay::Format::Keys, 1, 3).keys.size(), 3u);
    }

    void devicesAndFoldersAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::addRow("/dev/zero") << u"/dev/zero"_s << u"is a device"_s;
        QTest::addRow("a folder") << u"/tmp"_s << u"it is a directory"_s;
    }
    void devicesAndFoldersAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        try {
            TraceReplay::scan(path, TraceReplay::Format::Keys, 1, [](std::int64_t) {});
            QFAIL("read a device or folder as a trace");
        } catch (const std::runtime_error &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(expected), error.what());
        }
    }

    void textKeysAreStable()
    {
        const KeyTrace a = TraceReplay::read(write("k\n/a\n/b\n/a\n"), TraceReplay::Format::Csv, 1);
        QCOMPARE(a.keys.size(), 3u);
        QCOMPARE(a.keys[0], a.keys[2]);
        QVERIFY(a.keys[0] != a.keys[1]);
        const TraceReplay::Result r = TraceReplay::replay(a.keys, u"lru"_s, 2);
        QCOMPARE(r.hits, 1u);
    }

    void missingFileThrows()
    {
        QVERIFY_THROWS_EXCEPTION(
            std::runtime_error, TraceReplay::read(m_dir.filePath(u"nope"_s), TraceReplay::Format::Keys));
    }
};

QTEST_GUILESS_MAIN(TestTraceReplay)
#include "tst_tracereplay.moc"
