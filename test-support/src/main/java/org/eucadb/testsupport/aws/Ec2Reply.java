package org.eucadb.testsupport.aws;

import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** EC2's reply envelope: {@code <ActionResponse xmlns=...><requestId/>...}, whole or paged. */
final class Ec2Reply {
    private Ec2Reply() {
    }

    static FakeResponse ok(String action, Consumer<Xml> body) {
        Xml x = new Xml().root(action + "Response", FakeEc2.NAMESPACE).element("requestId", UUID.randomUUID());
        body.accept(x);
        return FakeResponse.xml(200, x.close(action + "Response").toString());
    }

    /** A reply of just {@code <return>true</return>}, as EC2 answers most mutations. */
    static FakeResponse ok(String action) {
        return ok(action, x -> x.element("return", true));
    }

    /** Every item, in one reply (for the calls that EC2 does not page). */
    static <T> FakeResponse all(String action, List<T> items, String setName, BiConsumer<Xml, T> writeItem) {
        return ok(action, x -> set(x, setName, items, writeItem));
    }

    /** A page of {@code items} from the offset in NextToken, of at most MaxResults and {@code pageSize}. */
    static <T> FakeResponse paged(String action, QueryParams p, int pageSize, List<T> items, String setName,
            BiConsumer<Xml, T> writeItem) {
        int from = 0;
        String token = p.get("NextToken");
        if (token != null) {
            if (!token.matches("page-\\d+")) {
                throw AwsFault.badRequest("InvalidNextToken", "The specified NextToken is not valid: " + token);
            }
            from = Integer.parseInt(token.substring(5));
        }
        int size = pageSize;
        Integer max = p.integer("MaxResults");
        if (max != null) {
            size = Math.min(size, max);
        }
        int to = Math.min(items.size(), from + size);
        List<T> page = items.subList(Math.min(from, items.size()), to);
        return ok(action, x -> {
            set(x, setName, page, writeItem);
            if (to < items.size()) {
                x.element("nextToken", "page-" + to);
            }
        });
    }

    private static <T> void set(Xml x, String setName, List<T> items, BiConsumer<Xml, T> writeItem) {
        x.open(setName);
        for (T item : items) {
            x.open("item");
            writeItem.accept(x, item);
            x.close("item");
        }
        x.close(setName);
    }
}
