package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

/** A JSON request read through its tree answers exactly as the same request in Query form. */
public class RequestParamsTest {
    private static final String JSON = "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1.5,"
            + "\"Dimensions\":[{\"Name\":\"d\",\"Value\":\"v\"}],\"StatisticValues\":{\"Sum\":3}},"
            + "{\"MetricName\":\"N\",\"Values\":[1,2],\"Timestamp\":1700000000}]}";

    private static RequestParams flat() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Namespace", "A");
        m.put("MetricData.member.1.MetricName", "M");
        m.put("MetricData.member.1.Value", "1.5");
        m.put("MetricData.member.1.Dimensions.member.1.Name", "d");
        m.put("MetricData.member.1.Dimensions.member.1.Value", "v");
        m.put("MetricData.member.1.StatisticValues.Sum", "3");
        m.put("MetricData.member.2.MetricName", "N");
        m.put("MetricData.member.2.Values.member.1", "1");
        m.put("MetricData.member.2.Values.member.2", "2");
        m.put("MetricData.member.2.Timestamp", "1700000000");
        return new RequestParams(m);
    }

    private static RequestParams tree() throws ApiException {
        return RequestParams.ofTree(WireFormat.jsonTree(JSON.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void treeAndFlatFormsAnswerAlike() throws Exception {
        for (RequestParams p : List.of(flat(), tree())) {
            assertEquals("A", p.required("Namespace"));
            assertEquals(Optional.of("M"), p.optional("MetricData.member.1.MetricName"));
            assertEquals(List.of("MetricData.member.1", "MetricData.member.2"), p.members("MetricData"));
            List<RequestParams> data = p.structures("MetricData");
            assertEquals(2, data.size());
            RequestParams first = data.get(0);
            assertEquals(1.5, first.optionalDouble("Value").get(), 0);
            assertEquals(Optional.of("3"), first.optional("StatisticValues.Sum"));
            assertTrue(first.hasStructure("StatisticValues"));
            assertFalse(first.hasStructure("MetricStat"));
            assertEquals("v", first.structures("Dimensions").get(0).required("Value"));
            assertEquals("MetricData.member.1.Dimensions.member.1.Name",
                    first.structures("Dimensions").get(0).field("Name"));
            RequestParams second = data.get(1);
            assertEquals(List.of("Values.member.1", "Values.member.2"), second.members("Values"));
            assertEquals(2.0, second.optionalDouble("Values.member.2").get(), 0);
            assertEquals(1_700_000_000L, second.optionalInstant("Timestamp").get().getEpochSecond());
            assertEquals(Optional.empty(), second.optional("Value"));
            assertEquals(Optional.empty(), p.optional("MetricData.member.3.MetricName"));
            try {
                second.required("Unit");
                fail("missing");
            } catch (ApiException e) {
                assertEquals("MissingParameter", e.code());
                assertEquals("The parameter MetricData.member.2.Unit is required.", e.getMessage());
            }
        }
    }

    @Test
    public void tooDeepATreeIsRefused() {
        String deep = "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}";
        try {
            WireFormat.jsonTree(deep.getBytes(StandardCharsets.UTF_8));
            fail("accepted");
        } catch (ApiException e) {
            assertEquals("SerializationException", e.code());
        }
    }
}
