// Reading traces: keys and CSV formats, header detection, bad lines counted with their line
// numbers, text keys hashed stably.
#include "core/cache/tracereplay.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    void reads_data()
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
    void reads()
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

    void badLinesAreNamed()
    {
        const KeyTrace t = TraceReplay::read(write("1\n2\nthree\n"), TraceReplay::Format::Keys);
        QCOMPARE(t.badExamples.value(0), u"line 3: 'three' is not an integer key"_s);
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
