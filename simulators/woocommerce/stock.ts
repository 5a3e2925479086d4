/**
 * Stock rules of wc-stock-functions.php:
 *  - stock status is recomputed from the quantity whenever a stock-managed product is saved;
 *  - an order's stock is reduced once (order flag `_order_stock_reduced`) when it reaches processing, on-hold or
 *    completed (or is paid), and restored when it goes to cancelled or pending after having been reduced;
 *  - only when the store option `woocommerce_manage_stock` is on and the product manages its own stock.
 * Stock changes made by orders do not fire product webhooks (WooCommerce writes them straight through the data store).
 */
import type { SimContext } from './context';
import type { Order, Product, StockStatus } from './store';

export const STOCK_REDUCING_STATUSES: ReadonlySet<string> = new Set(['processing', 'on-hold', 'completed']);
export const STOCK_RESTORING_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'pending']);

/** Stock status a managed product gets on save (notify-no-stock threshold 0). Unmanaged products keep theirs. */
export function recomputeStockStatus(product: Product): void {
  if (!product.manageStock || product.stockQuantity === null) return;
  let status: StockStatus;
  if (product.stockQuantity > 0) status = 'instock';
  else status = product.backorders === 'no' ? 'outofstock' : 'onbackorder';
  product.stockStatus = status;
}

function stockProduct(ctx: SimContext, productId: number, variationId: number): Product | undefined {
  const product = ctx.store.products.get(variationId || productId);
  if (!product || !product.manageStock || product.stockQuantity === null) return undefined;
  return product;
}

function noteStock(ctx: SimContext, order: Order, text: string): void {
  order.notes.push({ id: ctx.store.commentId(), author: 'WooCommerce', createdMs: ctx.clock.now(), note: text, customerNote: false, addedByUser: false });
}

/** wc_maybe_reduce_stock_levels + wc_reduce_stock_levels: takes each line's quantity out of stock, once per order. */
export function maybeReduceStock(ctx: SimContext, order: Order): void {
  if (!ctx.options.manageStock || order.stockReduced) return;
  const changes: string[] = [];
  for (const line of order.lineItems) {
    if (line.reducedStock > 0) continue;
    const product = stockProduct(ctx, line.productId, line.variationId);
    if (!product) continue;
    const before = product.stockQuantity as number;
    product.stockQuantity = before - line.quantity;
    recomputeStockStatus(product);
    line.reducedStock = line.quantity;
    changes.push(`${product.name} (${product.sku}) ${before}&rarr;${product.stockQuantity}`);
  }
  order.stockReduced = true;
  if (changes.length) noteStock(ctx, order, `Stock levels reduced: ${changes.join(', ')}`);
}

/** wc_maybe_increase_stock_levels + wc_increase_stock_levels: gives back what the order took. */
export function maybeRestoreStock(ctx: SimContext, order: Order): void {
  if (!ctx.options.manageStock || !order.stockReduced) return;
  const changes: string[] = [];
  for (const line of order.lineItems) {
    if (line.reducedStock <= 0) continue;
    const product = stockProduct(ctx, line.productId, line.variationId);
    if (product) {
      const before = product.stockQuantity as number;
      product.stockQuantity = before + line.reducedStock;
      recomputeStockStatus(product);
      changes.push(`${product.name} (${product.sku}) ${before}&rarr;${product.stockQuantity}`);
    }
    line.reducedStock = 0;
  }
  order.stockReduced = false;
  if (changes.length) noteStock(ctx, order, `Stock levels increased: ${changes.join(', ')}`);
}

/** Applies the stock rules for an order that just entered `status`. */
export function applyStockRules(ctx: SimContext, order: Order, status: string): void {
  if (STOCK_REDUCING_STATUSES.has(status)) maybeReduceStock(ctx, order);
  else if (STOCK_RESTORING_STATUSES.has(status)) maybeRestoreStock(ctx, order);
}
