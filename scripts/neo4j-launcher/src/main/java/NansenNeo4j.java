public class NansenNeo4j { public static void main(String[] a) {} }
