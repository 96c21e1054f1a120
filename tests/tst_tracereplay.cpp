// Reading traces: keys and CSV formats, header detection, bad lines counted with their line
// numbers, text keys hashed stably.
#include "core/cache/evictionpolicy.h"
#include "core/cache/tracereplay.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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

private Q_SLOTS:
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
