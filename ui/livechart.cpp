#include "ui/livechart.h"

#include <QLegend>
#include <QLegendMarker>

#include <QBuffer>
#include <QChart>
#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cachescope {

namespace {
// A tick step of 1, 2 or 5 × 10^k giving at most about six intervals over span.
double niceStep(double span, double intervals = 6.0)
{
    const double raw = span / intervals;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}

// Appends the lowest and the highest point of points[begin, end) to \a out, in their order.
void appendMinMax(QList<QPointF> &out, const QList<QPointF> &points, qsizetype begin = 0, qsizetype end = -1)
{
    if (end < 0)
        end = points.size();
    if (begin >= end)
        return;
    qsizetype lo = begin;
    qsizetype hi = begin;
    for (qsizetype j = begin + 1; j < end; ++j) {
        if (points[j].y() < points[lo].y())
            lo = j;
        if (points[j].y() > points[hi].y())
            hi = j;
    }
    out.append(points[std::min(lo, hi)]);
    if (lo != hi)
        out.append(points[std::max(lo, hi)]);
}

// Halves \a points: of every four, the lowest and the highest, in their order.
void compact(QList<QPointF> &points)
{
    QList<QPointF> out;
    out.reserve(points.size() / 2 + 2);
    for (qsizetype i = 0; i < points.size(); i += 4)
        appendMinMax(out, points, i, std::min(points.size(), i + 4));
    points = std::move(out);
}
} // namespace

// QChartView(QWidget *) would make a default chart that setChart() then releases to no owner:
// hand the view its chart at construction instead.
LiveChart::LiveChart(const QString &title, const QString &xTitle, const QString &yTitle, QWidget *parent)
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(xTitle);
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    setXRange(m_xSpan);
    m_y = new QValueAxis;
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    setYRange(10);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumSize(360, 220);
    setRubberBand(QChartView::RectangleRubberBand);

    m_redraw.setInterval(50);
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &LiveChart::redraw);
}

int LiveChart::addSeries(const QString &name, const QColor &color, Qt::PenStyle style)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidth(1);
    pen.setStyle(style);
    series->setPen(pen);
    chart()->addSeries(series);
    const int index = int(m_series.size());
    connect(series, &QLineSeries::hovered, this, [this, index](const QPointF &point, bool state) {
        if (state)
            QToolTip::showText(QCursor::pos(), readout(index, point), this);
        else
            QToolTip::hideText();
    });
    series->attachAxis(m_x);
    if (m_logY)
        series->attachAxis(m_logY);
    else
        series->attachAxis(m_y);
    m_series.push_back({series, {}, 1, {}, pen});
    return int(m_series.size()) - 1;
}

void LiveChart::setSeriesName(int series, const QString &name)
{
    m_series.at(std::size_t(series)).series->setName(name);
}

QString LiveChart::seriesName(int series) const
{
    return m_series.at(std::size_t(series)).series->name();
}

void LiveChart::append(int series, QPointF point)
{
    if (m_logY && point.y() <= 0)
        return; // no place on a log axis (an interval without timed requests)
    Series &s = m_series[std::size_t(series)];
    if (s.group == 1) {
        s.points.append(point);
    } else {
        s.pending.append(point);
        if (s.pending.size() == s.group) {
            appendMinMax(s.points, s.pending);
            s.pending.clear();
        }
    }
    if (s.points.size() > kMaxPoints) {
        compact(s.points);
        s.group = s.group == 1 ? 4 : 2 * s.group; // 4 samples gave 2 points; now 8, 16, …
    }
    m_dirty = true;
    if (!m_redraw.isActive() && !m_paused)
        m_redraw.start();
}

void LiveChart::addMarker(double x, const QString &label)
{
    m_markers.push_back({x, label});
    dropOldMarkers();
    viewport()->update();
}

QString LiveChart::markerLabel(double x) const
{
    for (const Marker &m : m_markers) {
        if (m.x == x)
            return m.label;
    }
    return {};
}

void LiveChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_markers.empty() || m_series.empty())
        return;
    QChart *c = chart();
    QPen pen(QColor(0x5f, 0x63, 0x68));
    pen.setWidth(1);
    pen.setStyle(Qt::DashLine);
    painter->save();
    painter->setPen(pen);
    painter->setClipRect(c->mapRectToScene(c->plotArea()));
    for (const Marker &m : m_markers) {
        if (m.x < m_x->min() || m.x > m_x->max())
            continue;
        const QPointF top = c->mapToScene(c->mapToPosition(QPointF(m.x, yMax()), m_series.front().series));
        const QPointF bottom = c->mapToScene(c->mapToPosition(QPointF(m.x, yMin()), m_series.front().series));
        painter->drawLine(top, bottom);
    }
    painter->restore();
}

void LiveChart::dropOldMarkers()
{
    // The points keep the whole run (halved as it grows), so markers go by count alone.
    const qsizetype excess = qsizetype(m_markers.size()) - kMaxMarkers;
    if (excess > 0)
        m_markers.erase(m_markers.begin(), m_markers.begin() + excess);
}

void LiveChart::restoreSeriesPens()
{
    for (const Series &s : m_series) {
        s.series->setPen(s.pen);
        // The legend's squares too: a theme repaints them in its own colours.
        const QList<QLegendMarker *> markers = chart()->legend()->markers(s.series);
        for (QLegendMarker *marker : markers) {
            marker->setBrush(s.pen.color());
            marker->setPen(QPen(s.pen.color()));
        }
    }
}

double LiveChart::storedMax(int series) const
{
    double max = -std::numeric_limits<double>::infinity();
    for (const QPointF &p : m_series.at(std::size_t(series)).points)
        max = std::max(max, p.y());
    return max;
}

QString LiveChart::readout(int series, QPointF point) const
{
    return tr("%1: %2 at %3 s")
        .arg(seriesName(series), QString::number(point.y(), 'g', 4), QString::number(point.x(), 'f', 1));
}

void LiveChart::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused) {
        m_dirty = true;
        redraw();
    }
}

void LiveChart::resetZoom()
{
    m_zoomed = false;
    chart()->zoomReset();
    setXRange(std::max(m_xSpan, m_x->max()));
    setPaused(false);
}

void LiveChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::RightButton) {
        event->accept(); // the context menu, not QChartView's zoom-out
        return;
    }
    const double before = m_x->max() - m_x->min();
    QChartView::mouseReleaseEvent(event);
    if (m_x->max() - m_x->min() != before) {
        m_zoomed = true;
        setPaused(true); // a zoomed view holds still; Reset zoom resumes
    }
}

void LiveChart::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *pause = menu.addAction(m_paused ? tr("Resume") : tr("Pause"));
    pause->setObjectName(QStringLiteral("pauseAction"));
    QAction *reset = menu.addAction(tr("Reset zoom"));
    reset->setEnabled(m_zoomed);
    menu.addSeparator();
    QAction *png = menu.addAction(tr("Save as PNG…"));
    QAction *svg = menu.addAction(tr("Save as SVG…"));
    QAction *chosen = menu.exec(event->globalPos());
    if (chosen == pause) {
        setPaused(!m_paused);
    } else if (chosen == reset) {
        resetZoom();
    } else if (chosen == png || chosen == svg) {
        const bool asSvg = chosen == svg;
        // A file name in any language: the chart's object name ("latencyChart"), else "chart".
        const QString name = objectName().isEmpty() ? QStringLiteral("chart") : objectName();
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the chart"),
            name + (asSvg ? QStringLiteral(".svg") : QStringLiteral(".png")),
            asSvg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
        if (!path.isEmpty()) {
            if (const QString problem = saveImage(path); !problem.isEmpty())
                QToolTip::showText(event->globalPos(), problem, this);
        }
    }
}

void LiveChart::layOut(QSize size)
{
    if (!isVisible()) {
        // A report's chart has no window: the chart itself is laid out at that size.
        resize(size);
        chart()->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
        scene()->setSceneRect(QRectF(QPointF(0, 0), QSizeF(size)));
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    m_dirty = true;
    const bool paused = m_paused;
    m_paused = false;
    redraw();
    m_paused = paused;
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

void LiveChart::paint(QPainter *painter, QSize size)
{
    // The scene, not the view: a chart that was never shown has no viewport to copy from.
    const QRectF area(QPointF(0, 0), QSizeF(size));
    scene()->render(painter, area, isVisible() ? sceneRect() : area);
    drawForeground(painter, sceneRect()); // the markers
}

QByteArray LiveChart::svg(QSize size)
{
    layOut(size);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(chart()->title());
    generator.setDescription(tr("A CacheScope chart"));
    QPainter painter(&generator);
    paint(&painter, size);
    painter.end();
    return buffer.data();
}

QImage LiveChart::image(QSize size, qreal scale)
{
    // Drawn from the SVG, so that a PDF's figure is the HTML report's.
    QSvgRenderer renderer(svg(size));
    QImage out(size * scale, QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    return out;
}

QString LiveChart::saveImage(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write '%1': %2").arg(path, file.errorString());
    if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size());
        svg.setViewBox(rect());
        svg.setTitle(chart()->title());
        svg.setDescription(tr("A CacheScope chart"));
        QPainter painter(&svg);
        paint(&painter, size());
        painter.end();
    } else if (!grab().save(&file, "PNG")) {
        file.cancelWriting();
        return tr("cannot write '%1' as PNG").arg(path);
    }
    if (!file.commit())
        return tr("cannot write '%1': %2").arg(path, file.errorString());
    return {};
}

QList<QPointF> LiveChart::reduced(const QList<QPointF> &points) const
{
    const qsizetype columns = std::max<qsizetype>(64, qsizetype(chart()->plotArea().width()));
    if (points.size() <= 2 * columns)
        return points;
    QList<QPointF> out;
    out.reserve(2 * columns + 2);
    const double per = double(points.size()) / double(columns);
    for (qsizetype c = 0; c < columns; ++c)
        appendMinMax(out, points, qsizetype(double(c) * per), std::min(points.size(), qsizetype(double(c + 1) * per)));
    return out;
}

void LiveChart::clear()
{
    // A new run starts live and whole.
    if (m_zoomed)
        chart()->zoomReset();
    m_zoomed = false;
    m_paused = false;
    m_markers.clear();
    for (auto &s : m_series) {
        s.points.clear();
        s.pending.clear();
        s.group = 1;
        s.series->clear();
    }
    setXRange(m_xSpan);
    if (m_logY)
        m_logY->setRange(m_logMin, m_logMax);
    else if (!m_fixedY)
        setYRange(10);
}

void LiveChart::setLogY(double min, double max)
{
    Q_ASSERT(m_series.empty());
    m_logMin = min;
    m_logMax = max;
    m_logY = new QLogValueAxis;
    m_logY->setBase(10);
    m_logY->setLabelFormat(QStringLiteral("%g"));
    m_logY->setMinorTickCount(0); // decades only: minor lines at 2…9 crowd a small chart
    m_logY->setTitleText(m_y->titleText());
    m_logY->setRange(min, max);
    chart()->removeAxis(m_y);
    delete m_y;
    m_y = nullptr;
    chart()->addAxis(m_logY, Qt::AlignLeft);
}

double LiveChart::yMin() const
{
    return m_logY ? m_logY->min() : m_y->min();
}

double LiveChart::yMax() const
{
    return m_logY ? m_logY->max() : m_y->max();
}

void LiveChart::setXSpan(double span)
{
    m_xSpan = std::max(span, 1.0);
    setXRange(m_xSpan);
}

void LiveChart::setXRange(double max)
{
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(niceStep(max));
    m_x->setRange(0, max);
}

void LiveChart::setYRange(double max)
{
    if (!m_y)
        return;
    // As many labels as the plot's height holds with a line between them: Qt Charts draws every
    // label as "…" when they would touch (a short chart of 0 … 300 in steps of 50).
    const double lineHeight = QFontMetricsF(m_y->labelsFont()).height();
    const double plotHeight = chart()->plotArea().height() > 0 ? chart()->plotArea().height() : 150.0;
    const double intervals = std::clamp(std::floor(plotHeight / (2.0 * lineHeight)), 2.0, 6.0);
    const double step = niceStep(max, intervals);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(step);
    m_y->setRange(0, std::ceil(max / step) * step);
}

void LiveChart::setFixedYRange(double min, double max)
{
    if (!m_y)
        return;
    m_fixedY = true;
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(min);
    m_y->setTickInterval((max - min) / 4.0); // quarters: 0, 25, 50, 75, 100 for percentages
    m_y->setRange(min, max);
}

qsizetype LiveChart::pointCount(int series) const
{
    return m_series[std::size_t(series)].series->count();
}

void LiveChart::redraw()
{
    if (!m_dirty || m_paused)
        return;
    m_dirty = false;
    double maxX = m_xSpan;
    double maxY = 0.0;
    double minY = std::numeric_limits<double>::infinity();
    for (auto &s : m_series) {
        QList<QPointF> drawn = s.points;
        appendMinMax(drawn, s.pending); // the group being filled shows too
        s.series->replace(reduced(drawn));
        for (const QPointF &p : s.points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
            minY = std::min(minY, p.y());
        }
    }
    if (maxX > m_x->max())
        setXRange(maxX);
    if (m_logY) {
        // Whole decades, grown to fit: 1 µs … 10 ms, then 100 ms when a stall shows.
        const double lo = minY < m_logY->min() ? std::pow(10.0, std::floor(std::log10(minY))) : m_logY->min();
        const double hi = maxY > m_logY->max() ? std::pow(10.0, std::ceil(std::log10(maxY))) : m_logY->max();
        if (lo != m_logY->min() || hi != m_logY->max())
            m_logY->setRange(lo, hi);
    } else if (!m_fixedY && maxY > m_y->max()) {
        setYRange(maxY * 1.1);
    }
    if (!m_markers.empty())
        viewport()->update(); // the markers follow the axes
}

} // namespace cachescope
