package com.commerceidentity.app;
public class Application { public static void main(String[] a) {} }
