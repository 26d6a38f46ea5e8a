package org.eucadb.cloudwatch.http;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/** Draws a metric widget's results as a time-series line chart (JFreeChart) and encodes it as PNG. */
final class MetricWidgetChart {
    private static final Color ANNOTATION = new Color(0xD6, 0x27, 0x28);

    private MetricWidgetChart() {
    }

    static byte[] png(MetricWidget widget, List<MetricDataEvaluator.Result> results) {
        TimeSeriesCollection dataset = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        Set<String> keys = new HashSet<>();
        for (MetricDataEvaluator.Result r : results) {
            String key = r.query().effectiveLabel();
            if (!keys.add(key)) {
                key = key + " (" + r.query().id() + ")"; // series keys must be unique
                keys.add(key);
            }
            TimeSeries series = new TimeSeries(key);
            r.points().forEach((t, v) -> series.add(new FixedMillisecond(t * 1000), v));
            dataset.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(widget.title().orElse(null), null,
                widget.leftAxis().label().orElse(null), dataset, widget.legend(), false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setNoDataMessage("No data available.");
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        if (plot.getRenderer() instanceof XYLineAndShapeRenderer lines) {
            lines.setDefaultShapesVisible(true); // a lone datapoint shows as a dot, not as nothing
        }
        DateAxis time = (DateAxis) plot.getDomainAxis();
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        time.setRange(Date.from(widget.start()), Date.from(widget.end()));
        widget.leftAxis().min().ifPresent(plot.getRangeAxis()::setLowerBound);
        widget.leftAxis().max().ifPresent(plot.getRangeAxis()::setUpperBound);
        for (MetricWidget.Annotation a : widget.horizontal()) {
            plot.addRangeMarker(marker(a.at(), a));
        }
        for (MetricWidget.Annotation a : widget.vertical()) {
            plot.addDomainMarker(marker(a.at() * 1000, a));
        }
        BufferedImage image = chart.createBufferedImage(widget.width(), widget.height());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a PNG into memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static ValueMarker marker(double at, MetricWidget.Annotation a) {
        ValueMarker m = new ValueMarker(at, ANNOTATION, new BasicStroke(2f));
        m.setAlpha(1f); // drawn solid, in the colour named
        a.label().ifPresent(m::setLabel);
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        return m;
    }
}
