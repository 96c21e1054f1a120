// LiveChart's markers (one per live change): painted over the plot where the change happened,
// kept as values, and bounded as the points are, so an hour of changes neither grows memory nor
// slows the redraw.
#include "ui/livechart.h"

#include <QChart>
#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
const QColor kMarker(0x5f, 0x63, 0x68);

// Pixels of the marker's colour in the column of the view where x falls, over the plot area.
int markerPixels(LiveChart &chart, double x)
{
    const QImage image = chart.grab().toImage();
    QChart *c = chart.chart();
    auto *series = qobject_cast<QLineSeries *>(c->series().first());
    const QPoint top = chart.mapFromScene(c->mapToScene(c->mapToPosition(QPointF(x, 100), series)));
    const QPoint bottom = chart.mapFromScene(c->mapToScene(c->mapToPosition(QPointF(x, 0), series)));
    int found = 0;
    for (int y = top.y(); y <= bottom.y(); ++y) {
        for (int dx = -1; dx <= 1; ++dx) {
            if (image.pixelColor(top.x() + dx, y) == kMarker) {
                ++found;
                break;
            }
        }
    }
    return found;
}
} // namespace

class TestLiveChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void markerIsPaintedWhereTheChangeWas_data()
    {
        QTest::addColumn<double>("x");
        QTest::addRow("early") << 2.0;
        QTest::addRow("late") << 8.5;
    }
    void markerIsPaintedWhereTheChangeWas()
    {
        QFETCH(double, x);
        LiveChart chart(QStringLiteral("hit rate"), QStringLiteral("s"), QStringLiteral("%"));
        chart.resize(600, 300);
        chart.setFixedYRange(0, 100);
        const int s = chart.addSeries(QStringLiteral("hit rate"), Qt::darkGreen);
        for (int i = 0; i <= 100; ++i)
            chart.append(s, QPointF(i / 10.0, 50));
        QTest::qWait(100); // the coalescing redraw
        QCOMPARE(markerPixels(chart, x), 0);
        chart.addMarker(x, QStringLiteral("cache.l1.capacity=60000"));
        // A dashed line over most of the plot's height, only there.
        QVERIFY2(markerPixels(chart, x) > 40, qPrintable(QString::number(markerPixels(chart, x))));
        QCOMPARE(markerPixels(chart, x < 5 ? x + 3 : x - 3), 0);
        QCOMPARE(chart.markerLabel(x), QStringLiteral("cache.l1.capacity=60000"));
    }

    void markersAreBoundedByCountAndByThePointsKept()
    {
        LiveChart chart(QStringLiteral("t"), QStringLiteral("s"), QStringLiteral("n"));
        const int s = chart.addSeries(QStringLiteral("n"), Qt::black);
        for (int i = 0; i < LiveChart::kMaxMarkers + 500; ++i)
            chart.addMarker(i * 0.01, QString::number(i));
        QCOMPARE(chart.markerCount(), int(LiveChart::kMaxMarkers));
        QCOMPARE(chart.markerLabel(499 * 0.01), QString()); // the oldest went first
        QCOMPARE(
            chart.markerLabel((LiveChart::kMaxMarkers + 499) * 0.01), QString::number(LiveChart::kMaxMarkers + 499));

        // A long run keeps markers from its start: the points keep the whole run.
        chart.clear();
        chart.addMarker(1.0, QStringLiteral("early"));
        for (qsizetype i = 0; i < LiveChart::kMaxPoints + 100; ++i)
            chart.append(s, QPointF(double(i) / 10.0, 1));
        chart.addMarker(650.0, QStringLiteral("late"));
        QCOMPARE(chart.markerCount(), 2);
        QCOMPARE(chart.markerLabel(1.0), QStringLiteral("early"));
    }

    // Ten times as many samples as a series keeps: memory stays bounded, the run's start stays,
    // a one-sample spike and a one-sample dip survive the halving and the per-pixel drawing.
    void longRunsStayWholeInBoundedPoints_data()
    {
        QTest::addColumn<qsizetype>("samples");
        QTest::newRow("just over the limit") << LiveChart::kMaxPoints + 1;
        QTest::newRow("ten times the limit") << 10 * LiveChart::kMaxPoints;
        QTest::newRow("a day at 10 Hz") << qsizetype(864000);
    }
    void longRunsStayWholeInBoundedPoints()
    {
        QFETCH(qsizetype, samples);
        LiveChart chart(QStringLiteral("t"), QStringLiteral("s"), QStringLiteral("n"));
        chart.resize(600, 300);
        const int s = chart.addSeries(QStringLiteral("n"), Qt::black);
        for (qsizetype i = 0; i < samples; ++i) {
            const double y = i == samples / 3 ? 1000.0 : (i == samples / 2 ? -50.0 : 10.0 + double(i % 7));
            chart.append(s, QPointF(double(i) / 10.0, y));
        }
        QVERIFY(chart.storedPointCount(s) <= LiveChart::kMaxPoints);
        QCOMPARE(chart.storedMax(s), 1000.0);
        QTest::qWait(100); // the redraw
        QVERIFY2(chart.pointCount(s) <= 2 * 600, qPrintable(QString::number(chart.pointCount(s))));
        auto *series = qobject_cast<QLineSeries *>(chart.chart()->series().first());
        double top = 0;
        double bottom = 0;
        for (const QPointF &p : series->points()) {
            top = std::max(top, p.y());
            bottom = std::min(bottom, p.y());
        }
        QCOMPARE(top, 1000.0);
        QCOMPARE(bottom, -50.0);
        QCOMPARE(series->points().first().x(), 0.0); // the run's start is still drawn
    }

    // Paused, the chart holds still while data comes; resumed, it draws it all. Zooming pauses.
    void pauseHoldsTheViewAndResumeCatchesUp()
    {
        LiveChart chart(QStringLiteral("t"), QStringLiteral("s"), QStringLiteral("n"));
        chart.resize(600, 300);
        const int s = chart.addSeries(QStringLiteral("n"), Qt::black);
        for (int i = 0; i < 50; ++i)
            chart.append(s, QPointF(i / 10.0, 5));
        QTRY_COMPARE(chart.pointCount(s), 50);
        chart.setPaused(true);
        for (int i = 50; i < 80; ++i)
            chart.append(s, QPointF(i / 10.0, 5));
        QTest::qWait(150);
        QCOMPARE(chart.pointCount(s), 50);
        chart.setPaused(false);
        QCOMPARE(chart.pointCount(s), 80);
        // A rubber band drag zooms in, and the zoomed view is paused until Reset zoom.
        show(chart);
        const QRectF plot = chart.chart()->plotArea();
        const QPoint from = chart.mapFromScene(chart.chart()->mapToScene(plot.topLeft() + QPointF(20, 20)));
        const QPoint to = chart.mapFromScene(chart.chart()->mapToScene(plot.center()));
        QTest::mousePress(chart.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(chart.viewport(), to);
        QTest::mouseRelease(chart.viewport(), Qt::LeftButton, {}, to);
        QVERIFY(chart.isZoomed());
        QVERIFY(chart.isPaused());
        chart.resetZoom();
        QVERIFY(!chart.isZoomed() && !chart.isPaused());
        QVERIFY(chart.readout(s, QPointF(2.5, 5)).contains(QStringLiteral("n: 5 at 2.5 s")));
    }

    // Saved as PNG it is the chart's picture; as SVG a vector drawing with its title; atomically.
    void chartSavesAsPngAndSvg_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("png") << QStringLiteral("chart.png");
        QTest::newRow("svg") << QStringLiteral("chart.svg");
        QTest::newRow("unwritable") << QStringLiteral("no/such/dir/chart.png");
    }
    void chartSavesAsPngAndSvg()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        LiveChart chart(QStringLiteral("Hit rate"), QStringLiteral("s"), QStringLiteral("%"));
        chart.resize(500, 300);
        const int s = chart.addSeries(QStringLiteral("hit rate"), Qt::darkGreen);
        for (int i = 0; i < 100; ++i)
            chart.append(s, QPointF(i / 10.0, i % 50));
        chart.addMarker(5.0, QStringLiteral("cache.l1.capacity=10"));
        QTest::qWait(100);
        const QString path = dir.filePath(name);
        const QString problem = chart.saveImage(path);
        if (name.startsWith(QStringLiteral("no/"))) {
            QVERIFY2(problem.contains(path), qPrintable(problem));
            QVERIFY(!QFile::exists(path));
            return;
        }
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (name.endsWith(QStringLiteral(".svg"))) {
            QVERIFY(bytes.contains("<svg") && bytes.contains("Hit rate"));
        } else {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.size(), chart.size());
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // nothing partial left
    }

    // Every axis label is drawn whole: Qt Charts elides a label ("…") that its axis has no room
    // for, which a short chart of small ratios hit (the throughput-ratio chart at 1280×800).
    void axisLabelsAreWhole_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("peak");
        QTest::newRow("ratios up to 8, short chart") << QSize(410, 160) << 8.0;
        QTest::newRow("ratios up to 8, default size") << QSize(410, 220) << 8.0;
        QTest::newRow("below 1") << QSize(410, 160) << 0.7;
        QTest::newRow("MB/s up to 250, short chart") << QSize(410, 160) << 250.0;
        QTest::newRow("thousands up to 2000") << QSize(410, 160) << 2000.0;
    }
    void axisLabelsAreWhole()
    {
        QFETCH(QSize, size);
        QFETCH(double, peak);
        LiveChart chart(u"Throughput ratio"_s, u"cached phase time (s)"_s, u"ratio (×)"_s);
        const int series = chart.addSeries(u"measured"_s, Qt::red);
        for (int i = 0; i < 50; ++i)
            chart.append(series, {0.1 * i, peak * (0.5 + 0.5 * double(i) / 49.0)});
        chart.resize(size);
        show(chart);
        QTest::qWait(120); // the coalesced redraw
        QStringList labels;
        for (QGraphicsItem *item : chart.scene()->items()) {
            if (auto *text = dynamic_cast<QGraphicsTextItem *>(item))
                labels << text->toPlainText();
            else if (auto *simple = dynamic_cast<QGraphicsSimpleTextItem *>(item))
                labels << simple->text();
        }
        QVERIFY2(labels.size() >= 4, qPrintable(labels.join(u" | "_s)));
        for (const QString &label : labels)
            QVERIFY2(!label.contains(u'…') && !label.contains(u"..."_s), qPrintable(labels.join(u" | "_s)));
    }

private:
    static void show(LiveChart &chart)
    {
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
    }
};

QTEST_MAIN(TestLiveChart)
#include "tst_livechart.moc"
